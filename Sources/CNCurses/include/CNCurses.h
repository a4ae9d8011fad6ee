#ifndef KAFKAOPS_CNCURSES_H
#define KAFKAOPS_CNCURSES_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncurses.h>

/* Wrappers for what ncurses defines as macros, which Swift cannot call. */

/* Sets up the locale for UTF-8 output: the user's locale, or C.UTF-8 when that is plain ASCII.
   Returns 1 when the resulting character set is UTF-8. */
int kafkaops_setup_locale(void);

/* newterm on stdin/stdout; NULL when the terminal cannot be initialised (unknown TERM ...).
   Installs the handlers that restore the terminal on a crash signal, and records SIGHUP and SIGTERM
   (kafkaops_stop_signal) for the program loop to exit cleanly. */
SCREEN *kafkaops_open_terminal(void);
/* endwin, once; safe to call several times and from the signal handlers. */
void kafkaops_close_terminal(void);

int kafkaops_lines(void);
int kafkaops_cols(void);
int kafkaops_colors(void);
int kafkaops_color_pairs(void);

unsigned int kafkaops_attr_bold(void);
unsigned int kafkaops_attr_underline(void);
unsigned int kafkaops_attr_reverse(void);
unsigned int kafkaops_attr_dim(void);

int kafkaops_key_f(int n);
int kafkaops_key_code_yes(void);

/* Reads one key without blocking: 0 = nothing, 1 = a character in *ch, 2 = a KEY_* code in *ch. */
int kafkaops_read_key(int *ch);

/* Writes one cell: up to 5 wide characters (a spacing character and its combining marks). */
int kafkaops_put_cell(int y, int x, const wchar_t *chars, int count, unsigned int attrs, short pair);

/* Forces a full repaint on the next refresh (after a resize). */
void kafkaops_clear_all(void);
/* Shows what was written. */
void kafkaops_refresh(void);
/* wcwidth of one character in the current locale (-1 when unprintable). */
int kafkaops_wcwidth(wchar_t c);

/* The signal that killed the session, or 0. */
int kafkaops_caught_signal(void);
/* SIGHUP or SIGTERM once one arrived (the console should finish the change in flight and exit), else 0. */
int kafkaops_stop_signal(void);

/* 1 once a SIGTSTP arrived from outside (kill -TSTP; Ctrl-Z itself is a key in raw mode), then 0 again:
   the handler only records it, the program loop suspends (kafkaops_suspend). */
int kafkaops_take_suspend_request(void);
/* Suspends like every terminal program: endwin (the shell gets its terminal back), SIGTSTP with the default
   action (the process stops), and once continued (fg, SIGCONT) the program mode back and the next refresh
   repaints everything. Returns after SIGCONT. */
void kafkaops_suspend(void);
#endif
