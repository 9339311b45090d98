/* fakeapi — a scripted HTTP/1.1 server for client tests, in a thread of the test process.
 *
 * Each accepted request takes the next scripted reply in order; the test states the reply and
 * the request it expects (a substring of the request line), as curl's own test suite does. A
 * reply can be a plain body, a chunked stream of lines, and can hold the connection open or
 * close it abruptly. Requests are recorded for assertions. */
#ifndef TIMON_TEST_FAKEAPI_H
#define TIMON_TEST_FAKEAPI_H

#include <stdbool.h>
#include <stddef.h>

#define FAKEAPI_MAX 64

struct fake_reply {
    const char *expect;  /* substring the request line must contain ("GET /api/v1/pods?limit") */
    int status;          /* 0: close the connection without answering */
    const char *body;    /* for streams: the lines, each ending in \n, sent one chunk each */
    bool stream;         /* chunked; sent line by line */
    int hold_ms;         /* keep the stream open this long after the last line */
    const char *headers; /* extra header lines, each ending in \r\n, or NULL */
    bool cut;            /* stream: close without the final chunk (a dropped connection) */
};

struct fakeapi;

struct fakeapi *fakeapi_start(const struct fake_reply *script, size_t n);
int fakeapi_port(const struct fakeapi *f);
/* Requests served so far. */
size_t fakeapi_count(struct fakeapi *f);
/* The request line of request i (copied into buf). */
const char *fakeapi_request(struct fakeapi *f, size_t i, char *buf, size_t n);
/* Number of requests whose line did not contain the expected substring. */
size_t fakeapi_mismatches(struct fakeapi *f);
void fakeapi_stop(struct fakeapi *f);

struct http;
/* A client connection to the fake server (plain HTTP); NULL if it cannot be made. */
struct http *fakeapi_http(struct fakeapi *f);
/* Runs the client's loop until done(ud) holds or ms pass, calling tick(ud) (if not NULL) at the
 * start of every pass; returns done(ud). */
bool fakeapi_run(struct http *h, long ms, bool (*done)(void *), void (*tick)(void *), void *ud);

#endif
