#include "CNCurses.h"
void kafkaops_curses_placeholder(void) {}
