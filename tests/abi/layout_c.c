#include "layout.h"
#include <stdio.h>
int main(void) { puts("ABI layout pinned (C11)"); return 0; }
