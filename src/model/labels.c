/* labels — qualified names and label values. */
#include "model/labels.h"

#include <ctype.h>
#include <string.h>

static bool alnum(char c)
{
    return isalnum((unsigned char)c) != 0;
}

/* [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])? of at most 63 characters. */
static bool name_part(const char *s, size_t n)
{
    if (n == 0 || n > 63 || !alnum(s[0]) || !alnum(s[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

/* A DNS-1123 subdomain: lowercase labels of [a-z0-9-] joined by dots, at most 253. */
static bool dns_subdomain(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        size_t len = i - start;
        if (len == 0 || len > 63)
            return false;
        for (size_t j = start; j < i; j++) {
            char c = s[j];
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok)
                return false;
        }
        if (s[start] == '-' || s[i - 1] == '-')
            return false;
        start = i + 1;
    }
    return true;
}

bool labels_valid_key(const char *key, size_t len, struct err *e)
{
    const char *slash = memchr(key, '/', len);
    const char *name = slash ? slash + 1 : key;
    size_t nlen = slash ? len - (size_t)(name - key) : len;
    if (slash && !dns_subdomain(key, (size_t)(slash - key)))
        return err_set(e,
                       "invalid label key \"%.*s\": the prefix must be a DNS subdomain (lower "
                       "case letters, digits, '-' and '.', at most 253 characters)",
                       (int)len, key);
    if (nlen > 63)
        return err_set(e,
                       "invalid label key \"%.*s\": the name must be no more than 63 "
                       "characters",
                       (int)len, key);
    if (!name_part(name, nlen))
        return err_set(e,
                       "invalid label key \"%.*s\": the name must consist of alphanumeric "
                       "characters, '-', '_' or '.', and must start and end with an "
                       "alphanumeric character",
                       (int)len, key);
    return true;
}

bool labels_valid_value(const char *value, size_t len, struct err *e)
{
    if (len == 0)
        return true;
    if (len > 63)
        return err_set(e, "invalid label value \"%.*s\": must be no more than 63 characters",
                       (int)len, value);
    if (!name_part(value, len))
        return err_set(e,
                       "invalid label value \"%.*s\": must consist of alphanumeric "
                       "characters, '-', '_' or '.', and must start and end with an "
                       "alphanumeric character",
                       (int)len, value);
    return true;
}
