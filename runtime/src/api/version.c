/* SPDX-License-Identifier: MIT */
/* plx_version (api layer, a public entry point; calls nothing): the library's own version, compiled in from
 * the same generated header apps include, so an app can compare the headers it was built with (PLX_VERSION)
 * with the library it runs with. */
#include "parallax/parallax.h"

uint32_t plx_version(void)
{
    return PLX_VERSION;
}
