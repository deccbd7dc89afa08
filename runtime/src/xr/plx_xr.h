/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the OpenXR objects, shared by context creation and recovery: instance, system and debug
 * messenger (instance.c); session, reference space and VIEW space, and the session's state (session.c); the
 * event queue (events.c); recovery from a lost session or instance (recover.c); composition layers
 * (layers.c); action sets, actions, bindings and their sync (actions.c). May call gpu/ and base/.
 *
 * The handles (instance, system, session, space, view_space, blend mode, extensions) are read by the layers
 * above; the session's state changes only through the functions below. Events are returned as facts: the
 * public entry points decide what a state change means to the frame loop. */
#pragma once
#include "gpu/plx_gpu.h"

/* Spaces and action sets that plx_xr destroys before their parent (actions.c: up to PLX_MAX_ACTION_SETS sets
 * and PLX_MAX_ACTION_SPACES action spaces). */
#define PLX_XR_MAX_CHILDREN 128

typedef struct plx_xr {
    plx_report *report;
    /* handles: made here, read above */
    XrInstance instance;
    XrSystemId system;
    XrSession session;
    XrSpace space;                     /* the app's reference space (LOCAL or STAGE) */
    XrSpace view_space;                /* VIEW: the head, for prediction and the live pose error */
    XrEnvironmentBlendMode blend_mode; /* the runtime's first (preferred) mode for stereo */
    bool ext_depth, ext_debug_utils, ext_timespec;
    /* The app's extensions (plx_context_desc.xr_extensions / xr_optional_extensions), copied: every instance
     * made here (recovery's too) asks for them again. */
    char (*app_required)[XR_MAX_EXTENSION_NAME_SIZE];
    uint32_t app_required_count;
    char (*app_optional)[XR_MAX_EXTENSION_NAME_SIZE];
    uint32_t app_optional_count;
    /* What the instance was created with: the names and an array of pointers to them (plx_get_openxr_info).
     */
    char (*enabled)[XR_MAX_EXTENSION_NAME_SIZE];
    const char **enabled_ptrs;
    uint32_t enabled_count;
    XrVersion api_version;     /* XrApplicationInfo.apiVersion the instance was created with */
    XrVersion runtime_version; /* XrInstanceProperties.runtimeVersion */
    uint32_t max_layer_count;  /* XrSystemGraphicsProperties.maxLayerCount */
    uint32_t max_image_width, max_image_height; /* ... maxSwapchainImageWidth / Height */
    /* +1 for every instance / session made here: what an object made on one compares to learn it is gone. */
    uint32_t instance_generation, session_generation;
    plx_time *time; /* the context's XrTime conversion: bound to each instance made here */
    plx_space space_kind;
    /* the session's state: through the functions */
    XrSessionState state;
    bool running; /* between xrBeginSession and xrEndSession (or a loss) */
    bool should_quit;
    XrTime session_begin_time;
    XrDebugUtilsMessengerEXT messenger;
    PFN_xrDestroyDebugUtilsMessengerEXT destroy_messenger;
    /* Handles the layers above made on the session (spaces) or the instance (action sets), by where they keep
     * them (plx_xr_track_child): destroyed here, each before its parent, whenever the parent goes. */
    struct {
        XrObjectType type; /* XR_OBJECT_TYPE_SPACE or XR_OBJECT_TYPE_ACTION_SET */
        void *slot;        /* an XrSpace * or XrActionSet * */
    } children[PLX_XR_MAX_CHILDREN];
    uint32_t child_count;
} plx_xr;

/* ---------------------------------------------------------------- instance.c */

/* Keeps copies of the app's required and optional instance extensions for every instance made from now on.
 * PLX_ERROR_INVALID_ARGUMENT (naming the desc field) for a NULL array with a count, a NULL name or a name
 * longer than OpenXR allows. */
plx_result plx_xr_set_app_extensions(plx_xr *xr, plx_report *r, const char *const *required,
                                     uint32_t required_count, const char *const *optional,
                                     uint32_t optional_count);
/* Whether the current instance was created with the extension. */
bool plx_xr_extension_enabled(const plx_xr *xr, const char *name);
/* Frees what plx_xr_set_app_extensions and instance creation allocated (context destruction). */
void plx_xr_free_extensions(plx_xr *xr);

/* The OpenXR instance (with XR_KHR_vulkan_enable2, and depth, XR_KHR_convert_timespec_time and debug utils
 * when offered, and the app's required and optional extensions), its debug messenger and the HMD system (and
 * its maxLayerCount); a required extension the runtime does not offer is PLX_ERROR_UNSUPPORTED naming it; the
 * XrTime conversion time (kept in xr->time for recovery's new instances) is bound to it. A missing runtime is
 * PLX_ERROR_NO_RUNTIME with a hint how to select one. */
plx_result plx_xr_create_instance(plx_xr *xr, plx_report *r, plx_time *time, const char *app_name,
                                  uint32_t app_version);
/* The runtime's recommended per-eye size (the larger of the two views) and its preferred blend mode. */
plx_result plx_xr_recommended_size(plx_xr *xr, uint32_t *out_width, uint32_t *out_height);
/* Destroys the messenger and the instance (the XrTime conversion is unbound first); checked (failures
 * logged). */
void plx_xr_destroy_instance(plx_xr *xr);
/* The same for a lost instance: unchecked, as destroying is all the spec still allows. */
void plx_xr_drop_instance(plx_xr *xr);

/* ---------------------------------------------------------------- session.c */

/* The session on the given Vulkan device, the reference space of space_kind and the VIEW space. */
plx_result plx_xr_create_session(plx_xr *xr, const plx_vk *vk, plx_space space_kind);
/* Destroys the spaces and the session (valid in any session state); checked. */
void plx_xr_destroy_session(plx_xr *xr);
/* The same for a lost session; not running, state UNKNOWN afterwards. */
void plx_xr_drop_session(plx_xr *xr);
/* A handle a layer above keeps at *slot (XR_OBJECT_TYPE_SPACE: an XrSpace of the session;
 * XR_OBJECT_TYPE_ACTION_SET: an XrActionSet of the instance): whenever plx_xr destroys or drops the session
 * (spaces) or the instance (action sets), it first destroys *slot if set and sets it to XR_NULL_HANDLE.
 * Destroying a parent destroys its children in the spec, but an API layer may still track them (the core
 * validation layer keeps a destroyed session's spaces and refuses a new handle with a reused value as
 * XR_ERROR_VALIDATION_FAILURE), so nothing is left for the parent to take along. The slot stays tracked
 * across re-creations until plx_xr_untrack_child. PLX_ERROR_OUT_OF_MEMORY past PLX_XR_MAX_CHILDREN. */
plx_result plx_xr_track_child(plx_xr *xr, XrObjectType type, void *slot);
void plx_xr_untrack_child(plx_xr *xr, void *slot);
/* Destroys every tracked child of that type now (checked: failures logged, unless lost). */
void plx_xr_destroy_children(plx_xr *xr, XrObjectType type, bool lost);
/* READY: xrBeginSession; running from time on. */
plx_result plx_xr_begin_session(plx_xr *xr, XrTime time);
/* STOPPING: not running; xrEndSession. */
plx_result plx_xr_end_session(plx_xr *xr);
plx_result plx_xr_request_exit(plx_xr *xr);
/* A loss was seen: no frame may run on the lost objects. */
void plx_xr_stop(plx_xr *xr);
void plx_xr_set_should_quit(plx_xr *xr);
bool plx_xr_running(const plx_xr *xr);
bool plx_xr_should_quit(const plx_xr *xr);
XrSessionState plx_xr_state(const plx_xr *xr);
XrTime plx_xr_session_begin_time(const plx_xr *xr);

/* ---------------------------------------------------------------- events.c */

typedef enum plx_xr_event_kind {
    PLX_XR_EVENT_NONE = 0,      /* the queue is empty */
    PLX_XR_EVENT_STATE,         /* our session's state changed (xr's state is already the new one) */
    PLX_XR_EVENT_INSTANCE_LOSS, /* XrEventDataInstanceLossPending */
} plx_xr_event_kind;

typedef struct plx_xr_event {
    plx_xr_event_kind kind;
    XrSessionState state; /* PLX_XR_EVENT_STATE: the new state ... */
    XrTime time;          /* ... and when it took effect */
} plx_xr_event;

/* The next event that matters above, logging the ones that do not (events lost, reference space change,
 * other types) on the way; kind NONE when the queue is empty. Fails when xrPollEvent does. */
plx_result plx_xr_poll_event(plx_xr *xr, plx_xr_event *out);

/* ---------------------------------------------------------------- recover.c */

/* What a loss left to do. */
typedef struct plx_recover {
    plx_report *report;
    char app_name[128]; /* what the instance is re-created with */
    uint32_t app_version;
    plx_space space_kind;
    uint32_t eye_width, eye_height;       /* what the swapchains are re-created with */
    bool transfer_src;                    /* ... with the mirror's usage */
    VkFormat color_format, depth_format;  /* ... and must get again (the render pass is kept) */
    bool session_lost, instance_lost;     /* recovery due at the next plx_poll */
    bool report_session, report_instance; /* done: told to the app at the next plx_poll */
    uint32_t session_restarts, instance_restarts;
    int attempts;         /* instance re-creation attempts since the loss */
    int session_attempts; /* session re-creation attempts since the loss (the instance stayed) */
    int64_t next_attempt_ns, backoff_ns; /* the next attempt of either, and the wait after it fails */
} plx_recover;

/* What re-creation needs (end of plx_context_create): the desc's names and what was made. */
void plx_recover_init(plx_recover *rc, plx_report *r, const char *app_name, uint32_t app_version,
                      plx_space space_kind, const plx_swapchains *sc, bool transfer_src);
/* A loss was seen (instance: XR_ERROR_INSTANCE_LOST or XrEventDataInstanceLossPending; else the session:
 * XR_ERROR_SESSION_LOST or LOSS_PENDING); why names it for the log. The session stops running; frames stop
 * until plx_recover_run has rebuilt what was lost. */
void plx_recover_mark(plx_recover *rc, plx_xr *xr, bool instance, const char *why);
/* Marks the loss a check recorded in the report since the last call, if any; true when there was one. */
bool plx_recover_take_loss(plx_recover *rc, plx_xr *xr);
bool plx_recover_pending(const plx_recover *rc);

typedef enum plx_recover_step {
    PLX_RECOVER_NOTHING = 0, /* nothing lost (or the app should quit) */
    PLX_RECOVER_WAIT,        /* a re-creation waits for its next attempt (back-off) */
    PLX_RECOVER_NOW,         /* plx_recover_run has work to do now */
} plx_recover_step;
/* What plx_recover_run would do now. Before PLX_RECOVER_NOW the caller makes the frame loop let go of the
 * session (nothing in flight on the GPU, no frame half-begun, no xrWaitFrame outstanding). */
plx_recover_step plx_recover_next(const plx_recover *rc, const plx_xr *xr);
/* Destroys what was lost (swapchains, spaces, session; the instance too after an instance loss) and makes
 * it again with the same formats and size, so the render pass, the app's pipelines and the Vulkan device
 * are kept. PLX_SUCCESS (*out_rebuilt set), PLX_SESSION_NOT_RUNNING after a failed attempt (the next one
 * waits: 100 ms doubling to 5 s), or an error with should_quit set when it gave up (after
 * PLX_RECOVER_MAX_ATTEMPTS failed attempts, or at once when the runtime can no longer give what the kept
 * render pass and device need). */
plx_result plx_recover_run(plx_recover *rc, plx_xr *xr, plx_gpu *gpu, plx_swapchains *sc, bool *out_rebuilt);
/* Reports (once) a recovery done since the last call. */
void plx_recover_report(plx_recover *rc, bool *out_session_restarted, bool *out_instance_restarted);
/* Restarts so far: objects made on a session or instance from before a restart died with it. */
void plx_recover_restarts(const plx_recover *rc, uint32_t *out_session, uint32_t *out_instance);

/* ---------------------------------------------------------------- layers.c */

/* The composition layers after the projection layer: quad layers with swapchains of libparallax's own
 * (plx_quad) and the app's raw XrCompositionLayer* structs of the frame in progress. */

#define PLX_MAX_QUADS      32
#define PLX_MAX_RAW_LAYERS 64

/* One quad layer: its settings, and its swapchain, made on first use on the current session (and again
 * after recovery re-created the session). */
typedef struct plx_xr_quad {
    /* settings (the public functions keep them valid) */
    uint32_t width, height;
    VkFormat format;
    float clear_color[4];
    XrPosef pose;
    XrExtent2Df size;
    bool head_locked;
    XrEyeVisibility eyes;
    int32_t order;
    XrCompositionLayerFlags flags;
    bool visible;
    /* the swapchain */
    plx_swapchain swapchain;
    uint32_t session_generation;  /* the session the swapchain was made on */
    bool has_content;             /* an image was released: the layer may be submitted */
    bool held, waited;            /* an image is acquired (and waited) in the frame in progress */
    uint32_t index;               /* ... which one */
    uint64_t held_frame;          /* ... in which frame (plx_frame.index) */
    XrCompositionLayerQuad layer; /* filled by plx_layers_build */
} plx_xr_quad;

typedef struct plx_layers {
    plx_report *report;
    plx_xr_quad *quads[PLX_MAX_QUADS]; /* in creation order */
    uint32_t quad_count;
    struct {
        const XrCompositionLayerBaseHeader *layer;
        int32_t order;
    } raw[PLX_MAX_RAW_LAYERS]; /* the frame in progress's, in the order added */
    uint32_t raw_count;
} plx_layers;

/* Registers a quad (submitted from then on while visible); PLX_ERROR_UNSUPPORTED beyond PLX_MAX_QUADS. */
plx_result plx_layers_add_quad(plx_layers *ls, plx_xr_quad *q);
/* Unregisters it and destroys its swapchain (GPU idle first: the caller's job). */
void plx_layers_remove_quad(plx_layers *ls, plx_xr_quad *q, const plx_gpu *g);
/* Layers after the projection layer a frame would have now: visible quads + raw layers (+ extra). */
uint32_t plx_layers_count(const plx_layers *ls, uint32_t extra);
/* Checks that one projection layer, the visible quads and the raw layers, with more_quads and more_raw
 * added, stay within maxLayerCount; else PLX_ERROR_INVALID_ARGUMENT naming fn and the counts. */
plx_result plx_layers_check_limit(plx_layers *ls, const plx_xr *xr, uint32_t more_quads, uint32_t more_raw,
                                  const char *fn);
/* Acquires and waits the quad's next image (making its swapchain first if the session has none for it) and
 * records into cmd: a clear to its clear colour, left in VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL and
 * visible to colour-attachment reads and writes. frame_index is the frame in progress (once per frame). */
plx_result plx_xr_quad_acquire(plx_layers *ls, plx_xr_quad *q, const plx_xr *xr, const plx_gpu *g,
                               VkCommandBuffer cmd, uint64_t frame_index);
/* Before a frame's commands are closed: every visible quad that has nothing to show yet (new, or new
 * swapchain after recovery) is acquired and cleared into cmd, so it can be submitted. */
plx_result plx_layers_prepare(plx_layers *ls, const plx_xr *xr, const plx_gpu *g, VkCommandBuffer cmd,
                              uint64_t frame_index);
/* Gives every held quad image back (after the frame's submission); the first failure is returned. */
plx_result plx_layers_release(plx_layers *ls);
/* The session is lost: held images are forgotten without OpenXR calls. */
void plx_layers_forget(plx_layers *ls);
/* Before recovery destroys the session: every quad's swapchain goes (made again on next use). */
void plx_layers_drop_swapchains(plx_layers *ls, const plx_gpu *g);
/* The frame in progress starts with no raw layers. */
void plx_layers_frame_reset(plx_layers *ls);
/* Appends the layers after the projection layer to out (room for max), sorted by order (quads before raw
 * layers of the same order, each in the order made or added); returns how many. */
uint32_t plx_layers_build(plx_layers *ls, const plx_xr *xr, const XrCompositionLayerBaseHeader **out,
                          uint32_t max);

/* ---------------------------------------------------------------- actions.c */

/* The action sets, actions and suggested bindings of the app (api/actions.c) and of plx_input (api/input.c),
 * as declared, and their OpenXR objects on the current instance and session. What was declared outlives a
 * lost session or instance: the objects are made again from it (plx_actions_follow), so the handles the
 * layers above keep (indices, ids) stay valid. One attach per session for all sets (OpenXR allows only one),
 * at the first sync (the frame loop's, plx_actions_frame) or plx_actions_attach; after it nothing may be
 * declared. */

#define PLX_MAX_ACTION_SETS   16
#define PLX_MAX_ACTIONS       128
#define PLX_MAX_ACTION_SPACES 64
#define PLX_MAX_BINDINGS      512
#define PLX_MAX_PROFILES      32
#define PLX_MAX_SUBACTIONS    PLX_ACTION_MAX_SUBACTION_PATHS

typedef struct plx_xr_action_set {
    uint32_t id; /* the handle's value; 0: a free slot */
    char name[XR_MAX_ACTION_SET_NAME_SIZE];
    char localized[XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE];
    uint32_t priority;
    bool active;        /* synced from the next frame on */
    bool synced_active; /* ... and at the last sync */
    XrActionSet handle; /* on the current instance; tracked by plx_xr */
} plx_xr_action_set;

typedef struct plx_xr_action {
    uint32_t id;  /* the handle's value; 0: a free slot */
    uint32_t set; /* index of its set */
    char name[XR_MAX_ACTION_NAME_SIZE];
    char localized[XR_MAX_LOCALIZED_ACTION_NAME_SIZE];
    XrActionType type;
    uint32_t sub_count;
    char sub_names[PLX_MAX_SUBACTIONS][XR_MAX_PATH_LENGTH];
    XrPath sub[PLX_MAX_SUBACTIONS]; /* on the current instance */
    XrAction handle;                /* on the current instance (it dies with its set) */
    /* Pose actions: the action spaces, made on first use on the current session ([0]: XR_NULL_PATH, [1 + i]:
     * subaction path i); tracked by plx_xr once made. */
    XrSpace spaces[1 + PLX_MAX_SUBACTIONS];
    bool space_tracked[1 + PLX_MAX_SUBACTIONS];
} plx_xr_action;

typedef struct plx_xr_binding {
    uint16_t profile, action; /* indices */
    char path[XR_MAX_PATH_LENGTH];
} plx_xr_binding;

typedef struct plx_actions {
    uint32_t serial; /* handle values: a serial, the slot and a per-context salt */
    uint32_t salt;
    plx_xr_action_set sets[PLX_MAX_ACTION_SETS];
    uint32_t set_count; /* slots used so far (some may be free again) */
    plx_xr_action actions[PLX_MAX_ACTIONS];
    uint32_t action_count;
    uint32_t space_count; /* action spaces tracked */
    char profiles[PLX_MAX_PROFILES][XR_MAX_PATH_LENGTH];
    uint32_t profile_count;
    plx_xr_binding bindings[PLX_MAX_BINDINGS];
    uint32_t binding_count;
    uint32_t instance_generation; /* plx_xr's instance the objects were made on; 0: none made yet */
    bool attached;                /* the sets were attached: nothing more may be declared */
    uint32_t attached_session;    /* plx_xr's session generation they are attached to */
    uint64_t frames;              /* plx_actions_frame calls */
    uint64_t synced_frame;        /* the value of frames at the last sync decision */
    bool synced;                  /* that sync was made (focused) and its states may be read */
    uint32_t synced_session;      /* ... on this session */
    XrTime sync_time;             /* the display time it was made for */
    plx_result sync_result;       /* SUCCESS, NOT_FOCUSED, SESSION_NOT_RUNNING or the error */
} plx_actions;

/* Handle values <-> slots. A value of another kind, of a free slot or of another context is refused with
 * PLX_ERROR_INVALID_ARGUMENT naming fn and what. */
plx_result plx_actions_find_set(plx_actions *a, plx_report *r, uint32_t id, const char *fn, uint32_t *out);
plx_result plx_actions_find_action(plx_actions *a, plx_report *r, uint32_t id, const char *fn, uint32_t *out);
/* The index of a subaction path of action (NULL: -1, XR_NULL_PATH); PLX_ERROR_INVALID_ARGUMENT naming fn when
 * the action was not created with it. */
plx_result plx_actions_find_subaction(const plx_actions *a, plx_report *r, uint32_t action, const char *path,
                                      const char *fn, int *out);

/* Declarations, made at once on the current instance (so OpenXR's verdict on a name or path comes back to
 * the call). PLX_ERROR_CALL_ORDER naming fn after the attach. */
plx_result plx_actions_create_set(plx_actions *a, plx_xr *xr, const char *fn, const char *name,
                                  const char *localized, uint32_t priority, uint32_t *out_index);
plx_result plx_actions_create_action(plx_actions *a, plx_xr *xr, const char *fn, uint32_t set,
                                     const char *name, const char *localized, XrActionType type,
                                     const char *const *subaction_paths, uint32_t subaction_count,
                                     uint32_t *out_index);
/* Adds the bindings (actions[i] to paths[i]) to profile's list and suggests the whole list; all or none. A
 * profile or path the runtime refuses is PLX_ERROR_INVALID_ARGUMENT naming both. */
plx_result plx_actions_suggest(plx_actions *a, plx_xr *xr, const char *fn, const char *profile,
                               const uint32_t *actions, const char *const *paths, uint32_t count);
/* Forgets a set, its actions, their spaces and bindings, and destroys its OpenXR objects. */
void plx_actions_destroy_set(plx_actions *a, plx_xr *xr, uint32_t set);
/* Attaches every set now (once per session). */
plx_result plx_actions_attach_all(plx_actions *a, plx_xr *xr, const char *fn);
/* Re-creates what a recovery destroyed (new instance: sets, actions, bindings; new session: the attach);
 * PLX_SESSION_NOT_RUNNING while the session is being re-created. */
plx_result plx_actions_follow(plx_actions *a, plx_xr *xr);

/* The frame loop, after xrWaitFrame: a new frame, synced now (attaching first if need be) while FOCUSED. A
 * failure is kept for the reads (and a loss is in the report). */
void plx_actions_frame(plx_actions *a, plx_xr *xr, XrTime display_time);
/* plx_input_sync: the sync of the current frame, made now only if none was made since the last frame
 * began. Returns the sync's result. */
plx_result plx_actions_sync_once(plx_actions *a, plx_xr *xr, XrTime display_time);
/* The display time of the last sync (0: none). */
XrTime plx_actions_sync_time(const plx_actions *a);

/* The state of action (of type; sub -1 = all) as the last sync saw it; all zero (inactive) without a
 * readable sync. The XrActionState* of that type is written to out. */
plx_result plx_actions_state(plx_actions *a, plx_xr *xr, uint32_t action, int sub, void *out);
/* The action space of a pose action for sub (-1: XR_NULL_PATH), made on first use on the current session. */
plx_result plx_actions_space(plx_actions *a, plx_xr *xr, uint32_t action, int sub, XrSpace *out);
/* xrApplyHapticFeedback / xrStopHapticFeedback (amplitude < 0: stop). PLX_NOT_FOCUSED when the runtime
 * ignores it, or before the attach. */
plx_result plx_actions_haptic(plx_actions *a, plx_xr *xr, uint32_t action, int sub, float amplitude,
                              float frequency_hz, int64_t duration_ns);
/* The interaction profile for a top-level path into out ("" for none, or before the attach). */
plx_result plx_actions_profile(plx_actions *a, plx_xr *xr, const char *fn, const char *top_level_path,
                               char *out, uint32_t size);
