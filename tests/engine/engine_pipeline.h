/* SPDX-License-Identifier: MIT */
/* The one graphics pipeline the engine tests draw with (test_phases, test_threads): a vertex and a fragment
 * shader, no vertex input, triangle list, no culling, no depth test, one colour attachment, dynamic viewport
 * and scissor. Failures are cmocka assertions. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

/* A shader module from SPIR-V words. */
VkShaderModule engine_test_module(VkDevice device, const uint32_t *code, size_t size);
/* Subpass 0 of rp at the given sample count; the shader modules live only during the call. */
VkPipeline engine_test_pipeline(VkDevice device, VkRenderPass rp, VkPipelineLayout layout,
                                const uint32_t *vs_code, size_t vs_size, const uint32_t *fs_code,
                                size_t fs_size, VkSampleCountFlagBits samples);
