/* SPDX-License-Identifier: MIT */
/* The OpenXR entry points of the simulated headset: each is implemented as sim_<xrName> in the file of its
 * concern (named above each group) and reached only through dispatch.c's xrGetInstanceProcAddr table; no
 * file calls another file's entry point.
 * Layer: openxr (the upper part). */
#pragma once

#include "openxr/sim_openxr.h"

#define SIM_FN(name) XRAPI_ATTR XrResult XRAPI_CALL sim_##name
/* vulkan.c */
SIM_FN(xrGetVulkanInstanceExtensionsKHR)(XrInstance, XrSystemId, uint32_t, uint32_t *, char *);
SIM_FN(xrGetVulkanDeviceExtensionsKHR)(XrInstance, XrSystemId, uint32_t, uint32_t *, char *);
SIM_FN(xrGetVulkanGraphicsDeviceKHR)(XrInstance, XrSystemId, VkInstance, VkPhysicalDevice *);
SIM_FN(xrGetVulkanGraphicsRequirementsKHR)(XrInstance, XrSystemId, XrGraphicsRequirementsVulkanKHR *);
SIM_FN(xrCreateVulkanInstanceKHR)
(XrInstance, const XrVulkanInstanceCreateInfoKHR *, VkInstance *, VkResult *);
SIM_FN(xrCreateVulkanDeviceKHR)(XrInstance, const XrVulkanDeviceCreateInfoKHR *, VkDevice *, VkResult *);
SIM_FN(xrGetVulkanGraphicsDevice2KHR)
(XrInstance, const XrVulkanGraphicsDeviceGetInfoKHR *, VkPhysicalDevice *);
SIM_FN(xrGetVulkanGraphicsRequirements2KHR)(XrInstance, XrSystemId, XrGraphicsRequirementsVulkanKHR *);
/* swapchain.c */
SIM_FN(xrEnumerateSwapchainFormats)(XrSession, uint32_t, uint32_t *, int64_t *);
SIM_FN(xrCreateSwapchain)(XrSession, const XrSwapchainCreateInfo *, XrSwapchain *);
SIM_FN(xrDestroySwapchain)(XrSwapchain);
SIM_FN(xrEnumerateSwapchainImages)(XrSwapchain, uint32_t, uint32_t *, XrSwapchainImageBaseHeader *);
SIM_FN(xrAcquireSwapchainImage)(XrSwapchain, const XrSwapchainImageAcquireInfo *, uint32_t *);
SIM_FN(xrWaitSwapchainImage)(XrSwapchain, const XrSwapchainImageWaitInfo *);
SIM_FN(xrReleaseSwapchainImage)(XrSwapchain, const XrSwapchainImageReleaseInfo *);
/* frame.c */
SIM_FN(xrWaitFrame)(XrSession, const XrFrameWaitInfo *, XrFrameState *);
SIM_FN(xrBeginFrame)(XrSession, const XrFrameBeginInfo *);
SIM_FN(xrEndFrame)(XrSession, const XrFrameEndInfo *);
/* One prototype per entry point, as written: clang-format cannot lay out the SIM_FN macro. */
/* clang-format off */
/* dispatch.c */
SIM_FN(xrGetInstanceProcAddr)(XrInstance, const char *, PFN_xrVoidFunction *);
/* instance.c */
SIM_FN(xrEnumerateApiLayerProperties)(uint32_t, uint32_t *, XrApiLayerProperties *);
SIM_FN(xrEnumerateInstanceExtensionProperties)(const char *, uint32_t, uint32_t *, XrExtensionProperties *);
SIM_FN(xrCreateInstance)(const XrInstanceCreateInfo *, XrInstance *);
SIM_FN(xrGetInstanceProperties)(XrInstance, XrInstanceProperties *);
SIM_FN(xrResultToString)(XrInstance, XrResult, char[XR_MAX_RESULT_STRING_SIZE]);
SIM_FN(xrStructureTypeToString)(XrInstance, XrStructureType, char[XR_MAX_STRUCTURE_NAME_SIZE]);
SIM_FN(xrGetSystem)(XrInstance, const XrSystemGetInfo *, XrSystemId *);
SIM_FN(xrGetSystemProperties)(XrInstance, XrSystemId, XrSystemProperties *);
SIM_FN(xrEnumerateEnvironmentBlendModes)(XrInstance, XrSystemId, XrViewConfigurationType, uint32_t, uint32_t *,
                                         XrEnvironmentBlendMode *);
SIM_FN(xrStringToPath)(XrInstance, const char *, XrPath *);
SIM_FN(xrPathToString)(XrInstance, XrPath, uint32_t, uint32_t *, char *);
SIM_FN(xrConvertTimespecTimeToTimeKHR)(XrInstance, const struct timespec *, XrTime *);
SIM_FN(xrConvertTimeToTimespecTimeKHR)(XrInstance, XrTime, struct timespec *);
SIM_FN(xrSetDebugUtilsObjectNameEXT)(XrInstance, const XrDebugUtilsObjectNameInfoEXT *);
SIM_FN(xrCreateDebugUtilsMessengerEXT)(XrInstance, const XrDebugUtilsMessengerCreateInfoEXT *,
                                       XrDebugUtilsMessengerEXT *);
SIM_FN(xrDestroyDebugUtilsMessengerEXT)(XrDebugUtilsMessengerEXT);
SIM_FN(xrSubmitDebugUtilsMessageEXT)(XrInstance, XrDebugUtilsMessageSeverityFlagsEXT, XrDebugUtilsMessageTypeFlagsEXT,
                                     const XrDebugUtilsMessengerCallbackDataEXT *);
/* session.c */
SIM_FN(xrSessionBeginDebugUtilsLabelRegionEXT)(XrSession, const XrDebugUtilsLabelEXT *);
SIM_FN(xrSessionEndDebugUtilsLabelRegionEXT)(XrSession);
SIM_FN(xrSessionInsertDebugUtilsLabelEXT)(XrSession, const XrDebugUtilsLabelEXT *);
SIM_FN(xrEnumerateViewConfigurations)(XrInstance, XrSystemId, uint32_t, uint32_t *, XrViewConfigurationType *);
SIM_FN(xrGetViewConfigurationProperties)(XrInstance, XrSystemId, XrViewConfigurationType,
                                         XrViewConfigurationProperties *);
SIM_FN(xrEnumerateViewConfigurationViews)(XrInstance, XrSystemId, XrViewConfigurationType, uint32_t, uint32_t *,
                                          XrViewConfigurationView *);
SIM_FN(xrRequestExitSession)(XrSession);
/* lifecycle.c */
SIM_FN(xrDestroyInstance)(XrInstance);
SIM_FN(xrPollEvent)(XrInstance, XrEventDataBuffer *);
SIM_FN(xrCreateSession)(XrInstance, const XrSessionCreateInfo *, XrSession *);
SIM_FN(xrDestroySession)(XrSession);
SIM_FN(xrBeginSession)(XrSession, const XrSessionBeginInfo *);
SIM_FN(xrEndSession)(XrSession);
/* space.c */
SIM_FN(xrEnumerateReferenceSpaces)(XrSession, uint32_t, uint32_t *, XrReferenceSpaceType *);
SIM_FN(xrCreateReferenceSpace)(XrSession, const XrReferenceSpaceCreateInfo *, XrSpace *);
SIM_FN(xrGetReferenceSpaceBoundsRect)(XrSession, XrReferenceSpaceType, XrExtent2Df *);
SIM_FN(xrCreateActionSpace)(XrSession, const XrActionSpaceCreateInfo *, XrSpace *);
SIM_FN(xrLocateSpace)(XrSpace, XrSpace, XrTime, XrSpaceLocation *);
SIM_FN(xrDestroySpace)(XrSpace);
SIM_FN(xrLocateViews)(XrSession, const XrViewLocateInfo *, XrViewState *, uint32_t, uint32_t *, XrView *);
SIM_FN(xrLocateSpaces)(XrSession, const XrSpacesLocateInfo *, XrSpaceLocations *);
/* hand.c */
SIM_FN(xrCreateHandTrackerEXT)(XrSession, const XrHandTrackerCreateInfoEXT *, XrHandTrackerEXT *);
SIM_FN(xrDestroyHandTrackerEXT)(XrHandTrackerEXT);
SIM_FN(xrLocateHandJointsEXT)(XrHandTrackerEXT, const XrHandJointsLocateInfoEXT *, XrHandJointLocationsEXT *);
/* headset.c */
SIM_FN(xrGetVisibilityMaskKHR)(XrSession, XrViewConfigurationType, uint32_t, XrVisibilityMaskTypeKHR,
                               XrVisibilityMaskKHR *);
/* metrics.c */
SIM_FN(xrEnumeratePerformanceMetricsCounterPathsMETA)(XrInstance, uint32_t, uint32_t *, XrPath *);
SIM_FN(xrSetPerformanceMetricsStateMETA)(XrSession, const XrPerformanceMetricsStateMETA *);
SIM_FN(xrGetPerformanceMetricsStateMETA)(XrSession, XrPerformanceMetricsStateMETA *);
SIM_FN(xrQueryPerformanceMetricsCounterMETA)(XrSession, XrPath, XrPerformanceMetricsCounterMETA *);
/* action.c */
SIM_FN(xrCreateActionSet)(XrInstance, const XrActionSetCreateInfo *, XrActionSet *);
SIM_FN(xrDestroyActionSet)(XrActionSet);
SIM_FN(xrCreateAction)(XrActionSet, const XrActionCreateInfo *, XrAction *);
SIM_FN(xrDestroyAction)(XrAction);
SIM_FN(xrSuggestInteractionProfileBindings)(XrInstance, const XrInteractionProfileSuggestedBinding *);
SIM_FN(xrAttachSessionActionSets)(XrSession, const XrSessionActionSetsAttachInfo *);
SIM_FN(xrGetCurrentInteractionProfile)(XrSession, XrPath, XrInteractionProfileState *);
SIM_FN(xrGetActionStateBoolean)(XrSession, const XrActionStateGetInfo *, XrActionStateBoolean *);
SIM_FN(xrGetActionStateFloat)(XrSession, const XrActionStateGetInfo *, XrActionStateFloat *);
SIM_FN(xrGetActionStateVector2f)(XrSession, const XrActionStateGetInfo *, XrActionStateVector2f *);
SIM_FN(xrGetActionStatePose)(XrSession, const XrActionStateGetInfo *, XrActionStatePose *);
SIM_FN(xrSyncActions)(XrSession, const XrActionsSyncInfo *);
SIM_FN(xrEnumerateBoundSourcesForAction)(XrSession, const XrBoundSourcesForActionEnumerateInfo *, uint32_t,
                                         uint32_t *, XrPath *);
SIM_FN(xrGetInputSourceLocalizedName)(XrSession, const XrInputSourceLocalizedNameGetInfo *, uint32_t, uint32_t *,
                                      char *);
SIM_FN(xrApplyHapticFeedback)(XrSession, const XrHapticActionInfo *, const XrHapticBaseHeader *);
SIM_FN(xrStopHapticFeedback)(XrSession, const XrHapticActionInfo *);
/* clang-format on */
