/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the device features an app asks for (plx_vulkan_desc.features): its VkPhysicalDeviceFeatures2
 * chain is copied (the app's structs are never written or kept), libparallax's own need (multiview) is merged
 * in, each structure is checked against the device's Vulkan version and enabled extensions, and each feature
 * asked for against what the device supports, so a failure names the exact member. The structures' layouts
 * come from a table generated from the registry of the Vulkan headers libparallax is built with
 * (runtime/tools/gen_vk_features.py). May call base/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/plx_gpu.h"

static const plx_vk_feature_struct *find_struct(VkStructureType stype)
{
    for (uint32_t i = 0; i < plx_vk_feature_struct_count; i++) {
        if (plx_vk_feature_structs[i].stype == stype) return &plx_vk_feature_structs[i];
    }
    return NULL;
}

static VkBool32 *member(void *s, const plx_vk_bool_member *m)
{
    return (VkBool32 *)((char *)s + m->offset);
}

static VkBool32 member_on(const void *s, const plx_vk_bool_member *m)
{
    return *(const VkBool32 *)((const char *)s + m->offset);
}

/* The copy of the structure of type stype in f's chain, NULL if none. */
static VkBaseOutStructure *find_in_chain(const plx_vk_features *f, VkStructureType stype)
{
    for (VkBaseOutStructure *b = f->root.pNext; b; b = b->pNext) {
        if (b->sType == stype) return b;
    }
    return NULL;
}

/* Appends a zeroed structure of type t to f's chain. */
static VkBaseOutStructure *append(plx_vk_features *f, plx_report *r, const plx_vk_feature_struct *t,
                                  VkBaseOutStructure **io_tail)
{
    VkBaseOutStructure *copy = calloc(1, t->size);
    if (!copy) {
        PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "out of memory copying %s", t->name);
        return NULL;
    }
    copy->sType = t->stype;
    if (*io_tail)
        (*io_tail)->pNext = copy;
    else
        f->root.pNext = (void *)copy;
    *io_tail = copy;
    return copy;
}

plx_result plx_vk_features_build(plx_vk_features *f, plx_report *r, const VkPhysicalDeviceFeatures2 *app)
{
    *f = (plx_vk_features){.root = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2}};
    VkBaseOutStructure *tail = NULL;
    if (app) {
        if (app->sType != VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2)
            return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_vulkan_desc.features: sType %d is not "
                            "VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2 (pass a VkPhysicalDeviceFeatures2)",
                            (int)app->sType);
        f->root.features = app->features;
        uint32_t n = 0;
        for (const VkBaseInStructure *b = app->pNext; b; b = b->pNext) {
            if (++n > 256)
                return PLX_FAIL(
                    r, PLX_ERROR_INVALID_ARGUMENT,
                    "plx_vulkan_desc.features: the pNext chain has more than 256 structures (a loop?)");
            const plx_vk_feature_struct *t = find_struct(b->sType);
            if (!t)
                return PLX_FAIL(
                    r, PLX_ERROR_INVALID_ARGUMENT,
                    "plx_vulkan_desc.features: structure %u of the pNext chain has sType %d, which is "
                    "not a structure extending VkPhysicalDeviceFeatures2 in the Vulkan %u.%u.%u "
                    "headers libparallax was built with",
                    n, (int)b->sType, VK_API_VERSION_MAJOR(VK_HEADER_VERSION_COMPLETE),
                    VK_API_VERSION_MINOR(VK_HEADER_VERSION_COMPLETE), VK_HEADER_VERSION);
            if (find_in_chain(f, b->sType))
                return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                                "plx_vulkan_desc.features: %s appears twice in the pNext chain", t->name);
            VkBaseOutStructure *copy = append(f, r, t, &tail);
            if (!copy) return PLX_ERROR_OUT_OF_MEMORY;
            /* Everything after sType and pNext, as the app wrote it. */
            const size_t head = sizeof(VkBaseOutStructure);
            memcpy((char *)copy + head, (const char *)b + head, t->size - head);
        }
    }
    /* libparallax renders both eyes with multiview: set it in whichever structure the app gave for it (a
     * chain may not hold both VkPhysicalDeviceVulkan11Features and VkPhysicalDeviceMultiviewFeatures), or in
     * a structure of its own. */
    VkBaseOutStructure *v11 = find_in_chain(f, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES);
    VkBaseOutStructure *mv = find_in_chain(f, VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES);
    if (v11) {
        ((VkPhysicalDeviceVulkan11Features *)v11)->multiview = VK_TRUE;
    } else {
        if (!mv &&
            !(mv = append(f, r, find_struct(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES), &tail)))
            return PLX_ERROR_OUT_OF_MEMORY;
        ((VkPhysicalDeviceMultiviewFeatures *)mv)->multiview = VK_TRUE;
    }
    return PLX_SUCCESS;
}

static bool has_name(const char *const *names, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(names[i], name)) return true;
    }
    return false;
}

plx_result plx_vk_features_check(const plx_vk_features *f, plx_report *r, VkPhysicalDevice pd,
                                 uint32_t api_version, const char *const *exts, uint32_t n)
{
    /* Each structure must be one the device may be given: its Vulkan version, or an enabled extension. */
    for (VkBaseOutStructure *b = f->root.pNext; b; b = b->pNext) {
        const plx_vk_feature_struct *t = find_struct(b->sType);
        bool ok = t->core_version && api_version >= t->core_version;
        for (uint32_t i = 0; i < t->extension_count && !ok; i++) ok = has_name(exts, n, t->extensions[i]);
        if (!ok) {
            char need[160] = "";
            if (t->core_version)
                snprintf(need, sizeof need, "Vulkan %u.%u%s", VK_API_VERSION_MAJOR(t->core_version),
                         VK_API_VERSION_MINOR(t->core_version), t->extension_count ? " or " : "");
            if (t->extension_count)
                snprintf(need + strlen(need), sizeof need - strlen(need), "the device extension %s",
                         t->extensions[0]);
            return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                            "plx_vulkan_desc.features: %s needs %s (the device runs Vulkan %u.%u%s)", t->name,
                            need, VK_API_VERSION_MAJOR(api_version), VK_API_VERSION_MINOR(api_version),
                            t->extension_count ? "; add the extension to plx_vulkan_desc.device_extensions"
                                               : "");
        }
    }
    /* What the device supports, in structures of the same types. */
    plx_vk_features supported = {.root = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2}};
    VkBaseOutStructure *tail = NULL;
    plx_result res = PLX_SUCCESS;
    for (VkBaseOutStructure *b = f->root.pNext; b && res == PLX_SUCCESS; b = b->pNext) {
        if (!append(&supported, r, find_struct(b->sType), &tail)) res = PLX_ERROR_OUT_OF_MEMORY;
    }
    if (res == PLX_SUCCESS) {
        vkGetPhysicalDeviceFeatures2(pd, &supported.root);
        for (uint32_t i = 0; i < plx_vk_features10_member_count && res == PLX_SUCCESS; i++) {
            const plx_vk_bool_member *m = &plx_vk_features10_members[i];
            if (member_on(&f->root.features, m) && !member_on(&supported.root.features, m))
                res =
                    PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                             "plx_vulkan_desc.features: VkPhysicalDeviceFeatures.%s is not supported by the "
                             "device",
                             m->name);
        }
        VkBaseOutStructure *s = supported.root.pNext;
        for (VkBaseOutStructure *b = f->root.pNext; b && res == PLX_SUCCESS; b = b->pNext, s = s->pNext) {
            const plx_vk_feature_struct *t = find_struct(b->sType);
            for (uint32_t i = 0; i < t->member_count && res == PLX_SUCCESS; i++) {
                if (member_on(b, &t->members[i]) && !member_on(s, &t->members[i]))
                    res = PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                                   "plx_vulkan_desc.features: %s.%s is not supported by the device", t->name,
                                   t->members[i].name);
            }
        }
    }
    plx_vk_features_free(&supported);
    return res;
}

plx_result plx_vk_features_query(const plx_vk_features *f, plx_report *r, VkPhysicalDeviceFeatures2 *inout)
{
    if (inout->sType != VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2)
        return PLX_FAIL(
            r, PLX_ERROR_INVALID_ARGUMENT,
            "plx_get_vulkan_features: sType %d is not VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2",
            (int)inout->sType);
    inout->features = f->root.features;
    uint32_t n = 0;
    for (VkBaseOutStructure *b = inout->pNext; b; b = b->pNext) {
        const plx_vk_feature_struct *t = find_struct(b->sType);
        if (!t || ++n > 256)
            return PLX_FAIL(
                r, PLX_ERROR_INVALID_ARGUMENT,
                "plx_get_vulkan_features: sType %d of the pNext chain is not a structure extending "
                "VkPhysicalDeviceFeatures2 that libparallax knows",
                (int)b->sType);
        /* A structure of another type enables the same feature too (e.g. multiview in
         * VkPhysicalDeviceVulkan11Features and VkPhysicalDeviceMultiviewFeatures): members are matched by
         * name across the chain. */
        for (uint32_t i = 0; i < t->member_count; i++) {
            VkBool32 on = VK_FALSE;
            for (VkBaseOutStructure *e = f->root.pNext; e && !on; e = e->pNext) {
                const plx_vk_feature_struct *et = find_struct(e->sType);
                for (uint32_t k = 0; k < et->member_count && !on; k++) {
                    /* Vulkan gives a feature the same name wherever it was promoted to. */
                    if (!strcmp(et->members[k].name, t->members[i].name)) on = member_on(e, &et->members[k]);
                }
            }
            *member(b, &t->members[i]) = on;
        }
    }
    return PLX_SUCCESS;
}

void plx_vk_features_free(plx_vk_features *f)
{
    VkBaseOutStructure *b = f->root.pNext;
    while (b) {
        VkBaseOutStructure *next = b->pNext;
        free(b);
        b = next;
    }
    f->root.pNext = NULL;
}
