/* SPDX-License-Identifier: MIT */
/* Sanitizer builds only (-DPARALLAX_SANITIZE=ON, -DPARALLAX_TSAN=ON): keeps the Vulkan driver and the OpenXR
 * runtime that the environment selects loaded for the life of the process. The top-level CMakeLists.txt links
 * this one object into every executable and shared library the build makes (link_libraries), so every test
 * program has it, whether or not it links libparallax; nothing in a normal build contains it.
 *
 * Why: the Vulkan loader unloads the driver at vkDestroyInstance and the OpenXR loader unloads the runtime at
 * xrDestroyInstance. LeakSanitizer checks at exit, after both are gone: memory a driver keeps in its own
 * globals for the life of the process then looks leaked, and every frame of its stack is "<unknown module>",
 * so neither a suppression (tests/lsan.supp) nor a reader can tell whose it is. Which such allocations exist
 * depends on the host: Mesa 22.3's CPU probe (util_cpu_detect, run once when lavapipe enumerates its device)
 * allocates an L3-cache affinity table (128 bytes per L3 cache, realloc) only on AMD Zen CPUs, so a program
 * that let lavapipe unload was clean on an Intel host and "leaked 128 bytes" on an AMD one.
 * Marking the libraries RTLD_NODELETE keeps their globals (so such caches stay reachable, as they are in a
 * normal run) and their symbols (so a real leak in the simulated headset is reported with its stack).
 *
 * The libraries are the ones named by VK_DRIVER_FILES / VK_ICD_FILENAMES and XR_RUNTIME_JSON (the tests set
 * all three). Nothing happens when the variables are unset. tests/sanitize checks that a program linking
 * neither libparallax nor anything else of ours still has both libraries after destroying its instances.
 *
 * ThreadSanitizer builds also keep the Vulkan and OpenXR layer libraries installed in the system's layer
 * folders (the validation layers the tests turn on, Mesa's implicit device-select layer): tests/tsan.supp
 * names uninstrumented libraries in called_from_lib entries, and ThreadSanitizer aborts the process ("library
 * ... that was matched against called_from_lib suppression ... is unloaded") when the loader unloads one at
 * vkDestroyInstance / xrDestroyInstance, which every test that re-creates an instance does. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) && !defined(__SANITIZE_THREAD__)
#define __SANITIZE_THREAD__ 1 /* clang's spelling of GCC's macro */
#endif
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens one manifest and dlopens its "library_path" (relative to the manifest's folder when it has a /). */
static void keep_manifest_library(const char *manifest)
{
    FILE *f = fopen(manifest, "r");
    if (!f) return;
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    const char *p = strstr(text, "\"library_path\"");
    if (!p || !(p = strchr(p + 14, ':')) || !(p = strchr(p, '"'))) return;
    p++;
    const char *q = strchr(p, '"');
    if (!q || q == p || (size_t)(q - p) >= 1024) return;
    char lib[2048];
    int len = (int)(q - p);
    if (p[0] != '/' && memchr(p, '/', (size_t)len)) {
        const char *slash = strrchr(manifest, '/');
        int dir = slash ? (int)(slash - manifest) : 1;
        snprintf(lib, sizeof lib, "%.*s/%.*s", dir, slash ? manifest : ".", len, p);
    } else {
        snprintf(lib, sizeof lib, "%.*s", len, p);
    }
    /* The handle is deliberately kept: RTLD_NODELETE is the point. */
    (void)dlopen(lib, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
}

static void keep_list(const char *list)
{
    if (!list || !*list) return;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
        keep_manifest_library(tok);
}

#if defined(__SANITIZE_THREAD__)
/* Keeps the library of every manifest (*.json) in dir. */
static void keep_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        keep_manifest_library(path);
    }
    closedir(d);
}
#endif

__attribute__((constructor)) static void plx_sanitize_keep_libraries(void)
{
    const char *vk = getenv("VK_DRIVER_FILES");
    keep_list(vk && *vk ? vk : getenv("VK_ICD_FILENAMES"));
    keep_list(getenv("XR_RUNTIME_JSON"));
#if defined(__SANITIZE_THREAD__)
    static const char *const layer_dirs[] = {
        "/usr/share/vulkan/explicit_layer.d",
        "/usr/share/vulkan/implicit_layer.d",
        "/usr/share/openxr/1/api_layers/explicit.d",
        "/usr/share/openxr/1/api_layers/implicit.d",
    };
    for (size_t i = 0; i < sizeof layer_dirs / sizeof layer_dirs[0]; i++) keep_dir(layer_dirs[i]);
#endif
}
