/* apierror — Status objects and transport failures to messages. */
#include "client/apierror.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/strbuf.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

static void copy_clean(char *buf, size_t n, const char *s, size_t len)
{
    struct strbuf sb;
    strbuf_init(&sb, n - 1);
    sanitize_append(&sb, s, len, SANITIZE_TAB_TO_SPACE);
    snprintf(buf, n, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

static cJSON *parse_status(const struct http_response *r)
{
    if (!r->body_len || r->body[0] != '{')
        return NULL;
    cJSON *st = cJSON_ParseWithLength(r->body, r->body_len);
    if (st && !json_str(st, "message") && !json_str(st, "reason")) {
        cJSON_Delete(st);
        return NULL;
    }
    return st;
}

char *apierror_message(const struct http_response *r, char *buf, size_t n)
{
    if (r->error != HTTP_OK && r->status == 0) {
        copy_clean(buf, n, r->message, strlen(r->message));
        return buf;
    }
    if (r->error == HTTP_ERR_TOO_LARGE || (r->error != HTTP_OK && r->status < 300)) {
        copy_clean(buf, n, r->message, strlen(r->message));
        return buf;
    }
    cJSON *st = parse_status(r);
    const char *msg = json_str(st, "message");
    const char *reason = json_str(st, "reason");
    if (r->status == 401) {
        snprintf(buf, n, "Unauthorized: the server rejected the credentials (HTTP 401)");
    } else if (msg && msg[0]) {
        copy_clean(buf, n, msg, strlen(msg));
    } else if (reason && reason[0]) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s (HTTP %ld)", reason, r->status);
        copy_clean(buf, n, tmp, strlen(tmp));
    } else {
        /* A plain-text body (APF's 429, a proxy's error page): its first line. */
        const char *nl = memchr(r->body, '\n', r->body_len);
        size_t len = nl ? (size_t)(nl - r->body) : r->body_len;
        if (len > 200)
            len = 200;
        char tmp[320];
        if (len)
            snprintf(tmp, sizeof tmp, "HTTP %ld: %.*s", r->status, (int)len, r->body);
        else
            snprintf(tmp, sizeof tmp, "HTTP %ld from the server", r->status);
        copy_clean(buf, n, tmp, strlen(tmp));
    }
    cJSON_Delete(st);
    return buf;
}

char *apierror_reason(const struct http_response *r, char *buf, size_t n)
{
    buf[0] = '\0';
    cJSON *st = parse_status(r);
    const char *reason = json_str(st, "reason");
    if (reason)
        copy_clean(buf, n, reason, strlen(reason));
    cJSON_Delete(st);
    return buf;
}
