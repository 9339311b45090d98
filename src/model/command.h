/* command — what a user typed after ':' (k9s's grammar): a command word, then arguments
 * classified by shape: a bare word is a namespace, "/re" an initial filter, "-f term" a fuzzy
 * filter, anything with =, ==, !=, " in ", " notin " a label selector (single quotes group a
 * selector holding spaces), "@ctx" a context, "-A"/"all" all namespaces. Pure parsing; the app
 * decides what the word means (a kind, ctx, ns, help, q ...). */
#ifndef TIMON_MODEL_COMMAND_H
#define TIMON_MODEL_COMMAND_H

#include <stdbool.h>

#include "util/err.h"

struct command {
    char *word;     /* owned, lowercased: "po", "deploy", "q", "ctx" ... */
    char *ns;       /* owned or NULL */
    bool all_ns;    /* "-A" or the namespace "all" */
    char *filter;   /* owned or NULL: "re", "!re" or "-f term" as the filter takes it */
    char *selector; /* owned or NULL */
    char *context;  /* owned or NULL */
    char *name;     /* owned or NULL: a second bare word (":ctx NAME", ":ns NAME") */
};

bool command_parse(const char *line, struct command *out, struct err *e);
void command_free(struct command *c);
/* Whether the word quits (q, q!, qa, Q, quit, exit). */
bool command_is_quit(const char *word);

#endif
