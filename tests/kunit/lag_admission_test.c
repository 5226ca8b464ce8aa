// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the member admission rules (count and speed).
 */

#include <kunit/test.h>
#include <linux/ethtool.h>

#include "lag.h"

static void lag_admission_count(struct kunit *test)
{
	unsigned int n;

	for (n = 0; n < LAG_MAX_PORTS; n++)
		KUNIT_EXPECT_EQ(test, lag_admission_check(n, 10000, 10000), 0);
	KUNIT_EXPECT_EQ(test, lag_admission_check(LAG_MAX_PORTS, 10000, 10000),
			-ENOSPC);
	/* Full wins over any speed question. */
	KUNIT_EXPECT_EQ(test, lag_admission_check(LAG_MAX_PORTS, 10000, 1000),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, lag_admission_check(LAG_MAX_PORTS, SPEED_UNKNOWN,
						  SPEED_UNKNOWN), -ENOSPC);
}

static void lag_admission_speed(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, lag_admission_check(1, 10000, 1000), -EINVAL);
	KUNIT_EXPECT_EQ(test, lag_admission_check(3, 1000, 10000), -EINVAL);
	KUNIT_EXPECT_EQ(test, lag_admission_check(2, 25000, 25000), 0);
}

static void lag_admission_unknown_speed(struct kunit *test)
{
	/* A member whose link is down has no speed yet: it is admitted. */
	KUNIT_EXPECT_EQ(test, lag_admission_check(1, 10000, SPEED_UNKNOWN), 0);
	KUNIT_EXPECT_EQ(test, lag_admission_check(1, 10000, 0), 0);
	/* A LAG with no known speed takes any. */
	KUNIT_EXPECT_EQ(test, lag_admission_check(0, SPEED_UNKNOWN, 1000), 0);
	KUNIT_EXPECT_EQ(test, lag_admission_check(2, SPEED_UNKNOWN, 100000), 0);
}

static struct kunit_case lag_admission_cases[] = {
	KUNIT_CASE(lag_admission_count),
	KUNIT_CASE(lag_admission_speed),
	KUNIT_CASE(lag_admission_unknown_speed),
	{}
};

static struct kunit_suite lag_admission_suite = {
	.name = "lag_admission",
	.test_cases = lag_admission_cases,
};

kunit_test_suites(&lag_admission_suite);
