/* Shared includes for the cmocka unit tests. */
#ifndef TIMON_TEST_UTIL_H
#define TIMON_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
