/* SPDX-License-Identifier: MIT */
/* Layer 0, base: extensible structs by size, the one place structs cross the ABI boundary (README "ABI
 * policy"). Calls only base (the failure funnel).
 *
 * Every struct an app allocates and passes by pointer comes with the size its headers gave it, as Linux's
 * extensible syscalls do (clone3, openat2: copy_struct_from_user / copy_struct_to_user). An older app's
 * struct is shorter: the fields it lacks read as zero, which every struct documents as the default. A newer
 * app's struct is longer: the bytes this library does not know must be zero on the way in (else the app asked
 * for something this library cannot do, and it says so), and are zeroed on the way out (so the app reads
 * "not set" from fields this library does not fill). */
#include <string.h>

#include "base/plx_base.h"

void plx_abi_copy(void *dst, size_t dst_size, const void *src, size_t src_size)
{
    size_t n = dst_size < src_size ? dst_size : src_size;
    memcpy(dst, src, n);
    if (dst_size > n) memset((unsigned char *)dst + n, 0, dst_size - n);
}

plx_result plx_abi_check_size(plx_report *r, const char *call, const char *type, size_t app_size,
                              size_t min_size)
{
    if (app_size >= min_size) return PLX_SUCCESS;
    return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                    "%s: the %s is %zu bytes, smaller than in any release (at least %zu): pass sizeof(%s) "
                    "(the header's inline %s does)",
                    call, type, app_size, min_size, type, call);
}

plx_result plx_abi_in(plx_report *r, const char *call, const char *type, void *own, size_t own_size,
                      const void *app, size_t app_size, size_t min_size)
{
    plx_result res = plx_abi_check_size(r, call, type, app_size, min_size);
    if (res < 0) return res;
    const unsigned char *tail = (const unsigned char *)app + own_size;
    for (size_t i = 0; app_size > own_size && i < app_size - own_size; i++) {
        if (tail[i] != 0)
            return PLX_FAIL(
                r, PLX_ERROR_INVALID_ARGUMENT,
                "%s: the %s is %zu bytes and byte %zu is set, but this libparallax (%s) knows only "
                "its first %zu bytes: the app was built with newer headers and uses a field this "
                "library does not have (leave it zero, or run with a newer libparallax)",
                call, type, app_size, own_size + i, PLX_VERSION_STRING, own_size);
    }
    plx_abi_copy(own, own_size, app, app_size);
    return PLX_SUCCESS;
}
