#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE 1
#include "CNCurses.h"
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <stdio.h>

static volatile sig_atomic_t kafkaops_open = 0;
static volatile sig_atomic_t kafkaops_signal = 0;
static volatile sig_atomic_t kafkaops_stop = 0;
static volatile sig_atomic_t kafkaops_tstp = 0;
static SCREEN *kafkaops_screen = NULL;

int kafkaops_setup_locale(void) {
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8") || setlocale(LC_CTYPE, "en_US.UTF-8")) {
        cs = nl_langinfo(CODESET);
        return cs && strcmp(cs, "UTF-8") == 0;
    }
    return 0;
}

void kafkaops_close_terminal(void) {
    if (kafkaops_open) {
        kafkaops_open = 0;
        curs_set(1);
        endwin();
    }
}

static void kafkaops_on_signal(int sig) {
    kafkaops_signal = sig;
    kafkaops_close_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* SIGHUP (the terminal went away) and SIGTERM: recorded for the program loop, which stops the change in
   flight, lets it record its outcome, restores the terminal and exits. */
static void kafkaops_on_stop_signal(int sig) { kafkaops_stop = sig; }

/* SIGTSTP from outside: recorded for the program loop, which suspends between two frames. */
static void kafkaops_on_tstp(int sig) { (void)sig; kafkaops_tstp = 1; }

static void kafkaops_at_exit(void) { kafkaops_close_terminal(); }

SCREEN *kafkaops_open_terminal(void) {
    set_escdelay(25);
    kafkaops_screen = newterm(NULL, stdout, stdin);
    if (!kafkaops_screen) return NULL;
    set_term(kafkaops_screen);
    kafkaops_open = 1;
    static int installed = 0;
    if (!installed) {
        installed = 1;
        atexit(kafkaops_at_exit);
        int sigs[] = { SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGINT, SIGQUIT };
        for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = kafkaops_on_signal;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = SA_RESETHAND;
            sigaction(sigs[i], &sa, NULL);
        }
        int stops[] = { SIGHUP, SIGTERM };
        for (unsigned i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = kafkaops_on_stop_signal;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = SA_RESTART;
            sigaction(stops[i], &sa, NULL);
        }
        struct sigaction tstp;
        memset(&tstp, 0, sizeof tstp);
        tstp.sa_handler = kafkaops_on_tstp;
        sigemptyset(&tstp.sa_mask);
        tstp.sa_flags = SA_RESTART;
        sigaction(SIGTSTP, &tstp, NULL);
        /* Writing to a terminal that hung up must not kill the process before the outcome is recorded. */
        signal(SIGPIPE, SIG_IGN);
    }
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    return kafkaops_screen;
}

int kafkaops_lines(void) { return LINES; }
int kafkaops_cols(void) { return COLS; }
int kafkaops_colors(void) { return COLORS; }
int kafkaops_color_pairs(void) { return COLOR_PAIRS; }

unsigned int kafkaops_attr_bold(void) { return (unsigned int)A_BOLD; }
unsigned int kafkaops_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
unsigned int kafkaops_attr_reverse(void) { return (unsigned int)A_REVERSE; }
unsigned int kafkaops_attr_dim(void) { return (unsigned int)A_DIM; }

int kafkaops_key_f(int n) { return KEY_F(n); }
int kafkaops_key_code_yes(void) { return KEY_CODE_YES; }

int kafkaops_read_key(int *ch) {
    wint_t w = 0;
    int r = wget_wch(stdscr, &w);
    if (r == ERR) return 0;
    *ch = (int)w;
    return r == KEY_CODE_YES ? 2 : 1;
}

int kafkaops_put_cell(int y, int x, const wchar_t *chars, int count, unsigned int attrs, short pair) {
    wchar_t buf[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) buf[i] = chars[i];
    buf[n] = 0;
    cchar_t cc;
    if (setcchar(&cc, buf, (attr_t)attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

int kafkaops_caught_signal(void) { return kafkaops_signal; }
int kafkaops_stop_signal(void) { return kafkaops_stop; }

void kafkaops_clear_all(void) { clearok(stdscr, TRUE); }
void kafkaops_refresh(void) { wnoutrefresh(stdscr); doupdate(); }
int kafkaops_wcwidth(wchar_t c) { return wcwidth(c); }

int kafkaops_take_suspend_request(void) {
    int r = kafkaops_tstp;
    kafkaops_tstp = 0;
    return r;
}

void kafkaops_suspend(void) {
    if (!kafkaops_open) return;
    curs_set(1);
    endwin();
    fflush(stdout);
    /* Stop with SIGTSTP's default action (our handler only records it), unblocked for this thread. */
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    sigset_t tstp, previous;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &tstp, &previous);
    raise(SIGTSTP);
    /* Continued (fg): our handler back, the terminal in program mode again, everything repainted. */
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    sigaction(SIGTSTP, &old, NULL);
    kafkaops_tstp = 0;
    reset_prog_mode();
    curs_set(0);
    clearok(stdscr, TRUE);
    wnoutrefresh(stdscr);
    doupdate();
}
