#ifndef KAFKAOPS_CNCURSES_H
#define KAFKAOPS_CNCURSES_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncurses.h>

void kafkaops_curses_placeholder(void);
#endif
