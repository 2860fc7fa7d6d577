/* main.c: entry point of the assure command (filled in by the CLI stage). */
#include <stdio.h>

int main(void)
{
	puts("assure " ASSURE_VERSION);
	return 0;
}
