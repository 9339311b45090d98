/* jsonfmt — an indenting JSON writer with Go's escaping rules. */
#include "util/jsonfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void indent(struct strbuf *out, int depth)
{
    strbuf_putc(out, '\n');
    for (int i = 0; i < depth; i++)
        strbuf_puts(out, "    ");
}

static void write_string(const char *s, struct strbuf *out)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        switch (c) {
        case '"':
            strbuf_puts(out, "\\\"");
            break;
        case '\\':
            strbuf_puts(out, "\\\\");
            break;
        case '\n':
            strbuf_puts(out, "\\n");
            break;
        case '\r':
            strbuf_puts(out, "\\r");
            break;
        case '\t':
            strbuf_puts(out, "\\t");
            break;
        case '<':
        case '>':
        case '&':
            strbuf_printf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            break;
        default:
            if (c < 0x20) {
                strbuf_printf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            } else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
                strbuf_puts(out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
                p += 2;
            } else {
                strbuf_putc(out, (char)c);
            }
        }
    }
    strbuf_putc(out, '"');
}

static void write_number(double d, struct strbuf *out)
{
    if (isnan(d) || isinf(d)) {
        strbuf_puts(out, "null");
        return;
    }
    if (d == (double)(long long)d && fabs(d) < 1e18) {
        strbuf_printf(out, "%lld", (long long)d);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    /* Use the shortest form that reads back the same value. */
    for (int prec = 1; prec <= 17; prec++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        double back;
        if (sscanf(tmp, "%lf", &back) == 1 && back == d) {
            strbuf_puts(out, tmp);
            return;
        }
    }
    strbuf_puts(out, buf);
}

static void write_value(const cJSON *v, int depth, struct strbuf *out)
{
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        const cJSON *child = v->child;
        if (!child) {
            strbuf_puts(out, obj ? "{}" : "[]");
            return;
        }
        strbuf_putc(out, obj ? '{' : '[');
        for (; child; child = child->next) {
            indent(out, depth + 1);
            if (obj) {
                write_string(child->string ? child->string : "", out);
                strbuf_puts(out, ": ");
            }
            write_value(child, depth + 1, out);
            if (child->next)
                strbuf_putc(out, ',');
        }
        indent(out, depth);
        strbuf_putc(out, obj ? '}' : ']');
    } else if (cJSON_IsString(v)) {
        write_string(v->valuestring, out);
    } else if (cJSON_IsNumber(v)) {
        write_number(v->valuedouble, out);
    } else if (cJSON_IsTrue(v)) {
        strbuf_puts(out, "true");
    } else if (cJSON_IsFalse(v)) {
        strbuf_puts(out, "false");
    } else {
        strbuf_puts(out, "null");
    }
}

void jsonfmt_write(const cJSON *v, struct strbuf *out)
{
    write_value(v, 0, out);
    strbuf_putc(out, '\n');
}
