// A TCP proxy whose first connection goes silent FREEZE_MS after it opens: no byte passes either
// way, and the socket stays open (a VPN or NAT that dropped the flow without a reset).
// Usage: node proxy.js TARGET_PORT FREEZE_MS
const net = require("net");
const target = Number(process.argv[2]), freezeMs = Number(process.argv[3]);
const t0 = Date.now();
const log = (...a) => console.log(((Date.now() - t0) / 1000).toFixed(2), ...a);
let n = 0;
const srv = net.createServer((client) => {
  const id = ++n;
  let frozen = false;
  log("connection", id, "opened");
  const up = net.connect(target, "127.0.0.1");
  client.on("data", (d) => { if (!frozen) up.write(d); });
  up.on("data", (d) => { if (!frozen) client.write(d); });
  client.on("close", () => { log("connection", id, "closed"); up.destroy(); });
  up.on("close", () => { if (!frozen) client.destroy(); });
  client.on("error", () => {});
  up.on("error", () => {});
  if (id === 1)
    setTimeout(() => { frozen = true; log("connection", id, "frozen"); }, freezeMs);
});
srv.listen(0, "127.0.0.1", () => console.log("PORT", srv.address().port));
