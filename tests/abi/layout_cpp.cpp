#include "layout.h"
#include <ferry/plugin.hpp>
#include <cstdio>
int main() { std::puts("ABI layout pinned (C++20, with plugin.hpp)"); return 0; }
