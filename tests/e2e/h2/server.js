// A fake API server that speaks only HTTP/2 (as real API servers do to clients that offer it):
// lists are empty, watches send a BOOKMARK a second. Prints "PORT n" when it listens, and a line
// per session and request, with seconds since start, for the test to read.
// Usage: node server.js CERT KEY
const http2 = require("http2");
const fs = require("fs");
const t0 = Date.now();
const log = (...a) => console.log(((Date.now() - t0) / 1000).toFixed(2), ...a);
const bookmark = JSON.stringify({type: "BOOKMARK", object: {kind: "Pod", apiVersion: "v1",
                                 metadata: {resourceVersion: "10"}}}) + "\n";
let sessions = 0;
const srv = http2.createSecureServer({cert: fs.readFileSync(process.argv[2]),
                                      key: fs.readFileSync(process.argv[3])});
srv.on("session", (s) => {
  s.id = ++sessions;
  log("session", s.id, "opened");
  s.on("close", () => log("session", s.id, "closed"));
});
srv.on("stream", (stream, headers) => {
  const path = headers[":path"];
  log("request", "session=" + stream.session.id, path);
  stream.on("error", () => {});
  if (path.includes("watch=1")) {
    stream.respond({":status": 200, "content-type": "application/json"});
    stream.write(bookmark);
    const tick = setInterval(() => { if (!stream.destroyed) stream.write(bookmark); }, 1000);
    stream.on("close", () => clearInterval(tick));
    return;
  }
  stream.respond({":status": 200, "content-type": "application/json"});
  stream.end(JSON.stringify({kind: "List", apiVersion: "v1", metadata: {resourceVersion: "10"},
                             items: []}));
});
srv.listen(0, "127.0.0.1", () => console.log("PORT", srv.address().port));
