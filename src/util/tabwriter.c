/* tabwriter — a port of the column-block algorithm of Go's text/tabwriter, written from its
 * documented behaviour. */
#include "util/tabwriter.h"
#include "util/vec.h"

#include <string.h>

struct tw_cell {
    size_t start, len; /* bytes in the input */
    int width;         /* code points */
};
VEC_DEFINE(tw_cells, struct tw_cell)

struct tw_line {
    size_t first, count; /* cells in the shared cell array */
    bool newline;        /* ended by '\n' (the last line may not be) */
};
VEC_DEFINE(tw_lines, struct tw_line)
VEC_DEFINE(tw_widths, int)

struct tw {
    const char *in;
    struct tw_cells cells;
    struct tw_lines lines;
    struct tw_widths widths;
    struct tabwriter_opts o;
    struct strbuf *out;
};

static int runes(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void pad(struct tw *t, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;
        strbuf_append(t->out, spaces, (size_t)k);
        n -= k;
    }
}

static void write_lines(struct tw *t, size_t line0, size_t line1)
{
    for (size_t i = line0; i < line1; i++) {
        const struct tw_line *l = &t->lines.v[i];
        for (size_t j = 0; j < l->count; j++) {
            const struct tw_cell *c = &t->cells.v[l->first + j];
            strbuf_append(t->out, t->in + c->start, c->len);
            if (j < t->widths.len && j + 1 < l->count)
                pad(t, t->widths.v[j] - c->width);
        }
        if (l->newline)
            strbuf_putc(t->out, '\n');
    }
}

/* The recursive block formatter: `column` is how many column widths are known. */
static size_t format(struct tw *t, size_t line0, size_t line1)
{
    size_t column = t->widths.len;
    for (size_t this = line0; this < line1; this ++) {
        const struct tw_line *l = &t->lines.v[this];
        if (column + 1 >= l->count)
            continue; /* no cell in this column (the last cell is not in a column) */
        write_lines(t, line0, this);
        line0 = this;
        int width = t->o.minwidth;
        for (; this < line1; this ++) {
            l = &t->lines.v[this];
            if (column + 1 >= l->count)
                break;
            int w = t->cells.v[l->first + column].width + t->o.padding;
            if (w > width)
                width = w;
        }
        *tw_widths_push(&t->widths) = width;
        format(t, line0, this);
        tw_widths_pop(&t->widths);
        line0 = this;
        /* The loop's increment skips the line that ended the block: it has no cell here. */
    }
    write_lines(t, line0, line1);
    return line1;
}

static void flush(struct tw *t)
{
    if (t->lines.len)
        format(t, 0, t->lines.len);
    tw_lines_clear(&t->lines);
    tw_cells_clear(&t->cells);
}

void tabwriter_format(const char *in, size_t n, struct tabwriter_opts o, struct strbuf *out)
{
    struct tw t = {.in = in, .o = o, .out = out};
    size_t i = 0;
    while (i < n) {
        struct tw_line *l = tw_lines_push(&t.lines);
        l->first = t.cells.len;
        size_t start = i;
        for (;;) {
            if (i == n || in[i] == '\n' || in[i] == '\t') {
                struct tw_cell *c = tw_cells_push(&t.cells);
                c->start = start;
                c->len = i - start;
                c->width = runes(in + start, c->len);
                l = &t.lines.v[t.lines.len - 1];
                l->count++;
                if (i == n)
                    break;
                if (in[i] == '\n') {
                    l->newline = true;
                    i++;
                    break;
                }
                i++;
                start = i;
                continue;
            }
            i++;
        }
        /* A line with a single cell cannot affect the layout of later lines: flush. */
        if (t.lines.v[t.lines.len - 1].count == 1)
            flush(&t);
    }
    flush(&t);
    tw_cells_free(&t.cells);
    tw_lines_free(&t.lines);
    tw_widths_free(&t.widths);
}
