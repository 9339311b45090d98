/* dialog — the one dialog every action uses: a title, lines of context (where and on what the
 * action will land), optional scrolling text (a diff), fields (text, choice, check) and buttons.
 *
 * Tab and Shift-Tab move the focus through fields and buttons; Enter activates the focused
 * button, or submits from a text field (the primary button); Esc cancels; Ctrl-U clears a text
 * field; Space, Left and Right change a choice or a check; Up/Down/PgUp/PgDn scroll the text.
 * A destructive dialog opens with Cancel focused and draws its context in the danger style.
 *
 * The ui owns the open dialog (at most one) and draws it over the top view. Its owner gets the
 * button pressed through `submit`, which returns true to close the dialog, or false to keep it
 * open (after setting an error, or while a request runs). */
#ifndef TIMON_VIEWS_DIALOG_H
#define TIMON_VIEWS_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#define DIALOG_FIELDS  8
#define DIALOG_BUTTONS 3
#define DIALOG_TEXT    512

struct ui;
struct dialog;

enum dialog_field_type { FIELD_TEXT, FIELD_CHOICE, FIELD_CHECK };

struct dialog_field {
    enum dialog_field_type type;
    char label[48];
    char text[DIALOG_TEXT];     /* FIELD_TEXT */
    bool numeric;               /* FIELD_TEXT: digits only */
    const char *const *choices; /* FIELD_CHOICE: NULL-terminated, static */
    int choice;
    bool checked; /* FIELD_CHECK */
};

/* button: the index pressed, or -1 for Esc. Returns true to close. */
typedef bool (*dialog_submit_fn)(struct ui *ui, struct dialog *d, int button);
typedef void (*dialog_free_fn)(void *ud);

struct dialog {
    char title[128];
    char **info; /* owned lines, neutralised */
    size_t ninfo;
    char **body; /* owned scrollable lines (a diff), neutralised; may be empty */
    size_t nbody, body_top;
    struct dialog_field fields[DIALOG_FIELDS];
    int nfields;
    const char *buttons[DIALOG_BUTTONS]; /* static labels; 0 is Cancel */
    int nbuttons;
    int primary; /* the button Enter in a text field presses */
    int focus;   /* 0..nfields-1: a field; then the buttons */
    bool danger;
    int danger_line;  /* an info line drawn in the danger style (a dangerous context), or -1 */
    bool busy;        /* a request runs: keys other than Esc wait */
    char status[512]; /* a one-line error or progress under the fields */
    bool status_error;
    dialog_submit_fn submit;
    dialog_free_fn free_ud;
    void *ud;
};

/* A new dialog with buttons "Cancel" and `action`; destructive ones focus Cancel. */
struct dialog *dialog_new(const char *title, const char *action, bool destructive,
                          dialog_submit_fn submit, void *ud, dialog_free_fn free_ud);
void dialog_free(struct dialog *d);
void dialog_info(struct dialog *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An info line in the danger style: the context is one to be careful with. */
void dialog_warn(struct dialog *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text (split at newlines) to the scrollable body. */
void dialog_body(struct dialog *d, const char *text);
struct dialog_field *dialog_text(struct dialog *d, const char *label, const char *initial);
struct dialog_field *dialog_choice(struct dialog *d, const char *label, const char *const *choices,
                                   int initial);
struct dialog_field *dialog_check(struct dialog *d, const char *label, bool initial);
void dialog_status(struct dialog *d, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Focus on field i (or the first button when i is past the fields). */
void dialog_focus(struct dialog *d, int i);

/* Handles a key; returns true when the dialog must close (the ui frees it). */
bool dialog_key(struct dialog *d, struct ui *ui, int key);
void dialog_draw(const struct dialog *d, int rows, int cols);

#endif
