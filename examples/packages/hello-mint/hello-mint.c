/* SPDX-License-Identifier: Apache-2.0 */
/* The demo's own program: greets and says which user runs it. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *who = argc > 1 ? argv[1] : "world";
	printf("hello, %s, from a mint image (uid %u)\n", who, (unsigned)getuid());
	return 0;
}
