// SPDX-License-Identifier: GPL-2.0
/*
 * lag_kunit.ko: the KUnit suites of tests/kunit/, run when the
 * module is loaded. They call into lag.ko through the symbols it exports
 * for KUnit only (EXPORT_SYMBOL_IF_KUNIT).
 */

#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for lag");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
