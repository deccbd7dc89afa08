/* SPDX-License-Identifier: MIT */
/* xrEndFrame: any positive displayTime is accepted, not only one xrWaitFrame returned; zero or a negative
 * time is XR_ERROR_TIME_INVALID. A frame is never shown before the display period it names. Spec: OpenXR 1.0
 * and 1.1, xrspec.html#xrEndFrame ("XrFrameEndInfo::displayTime should be computed using values returned by
 * xrWaitFrame. The runtime should be robust against variations in the timing of calls to xrWaitFrame, since a
 * pipelined system may call xrWaitFrame on a separate thread from xrBeginFrame and xrEndFrame", and the note:
 * "Reprojection should never display images before the display refresh period they were predicted for"),
 * #XrFrameEndInfo ("displayTime is the XrTime at which this frame should be displayed"), #XrResult
 * (XR_ERROR_TIME_INVALID: "The provided XrTime was zero, negative, or out of range") and #fundamentals-time.
 * A pipelined app that renders one period ahead ends each frame with the next period's time: predicted
 * display time + predictedDisplayPeriod. The frames must be accepted, and, in the simulated headset's
 * per-frame record (PARALLAX_SIM_FRAMES), shown no earlier than half a period before the time they name. */
#include "conf.h"

#include <stdlib.h>
#include <unistd.h>

static XrResult end_frame(conf *c, XrTime t)
{
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = t,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
    return xrEndFrame(c->session, &ei);
}

static bool wait_begin(conf *c, XrFrameState *fs)
{
    *fs = (XrFrameState){.type = XR_TYPE_FRAME_STATE};
    return CONF_XR(c, xrWaitFrame(c->session, NULL, fs)) && CONF_XR(c, xrBeginFrame(c->session, NULL));
}

int main(void)
{
    conf c;
    conf_start(&c, "end_frame_display_time",
               "xrEndFrame accepts any positive displayTime (a pipelined app's later period), rejects 0 and "
               "negative");
    char csv[512];
    snprintf(csv, sizeof(csv), "%s/conf-end-frame-%d.csv", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    setenv("PARALLAX_SIM_FRAMES", csv, 1);
    XrTime pipelined[8];
    int n_pipelined = 0;
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        conf_frames(&c, 3);
        XrFrameState fs;
        /* One period later than xrWaitFrame predicted, frame after frame. */
        for (int i = 0; i < 8; i++) {
            if (!wait_begin(&c, &fs)) break;
            XrTime t = fs.predictedDisplayTime + fs.predictedDisplayPeriod;
            if (CONF_XR_EXPECT(&c, end_frame(&c, t), XR_SUCCESS)) pipelined[n_pipelined++] = t;
            conf_drain(&c);
        }
        /* Two periods later, and one period earlier (an app that reuses its previous frame's time). */
        if (wait_begin(&c, &fs))
            CONF_XR_EXPECT(&c, end_frame(&c, fs.predictedDisplayTime + 2 * fs.predictedDisplayPeriod),
                           XR_SUCCESS);
        if (wait_begin(&c, &fs))
            CONF_XR_EXPECT(&c, end_frame(&c, fs.predictedDisplayTime - fs.predictedDisplayPeriod),
                           XR_SUCCESS);
        /* What the spec forbids: zero and negative. The frame is still open after the failure; end it
         * properly. */
        if (wait_begin(&c, &fs)) {
            CONF_XR_EXPECT(&c, end_frame(&c, 0), XR_ERROR_TIME_INVALID);
            CONF_XR_EXPECT(&c, end_frame(&c, -fs.predictedDisplayTime), XR_ERROR_TIME_INVALID);
            CONF_XR_EXPECT(&c, end_frame(&c, fs.predictedDisplayTime), XR_SUCCESS);
        }
        conf_frames(&c, 3);
        conf_end(&c);
    }
    /* The simulated headset's record: when was each pipelined frame shown? */
    FILE *f = fopen(csv, "r");
    if (f) {
        char line[1024];
        int checked = 0;
        XrDuration period = c.last_frame.predictedDisplayPeriod;
        while (fgets(line, sizeof(line), f)) {
            long long id, predicted, photon;
            if (sscanf(line, "%lld,%lld,%lld", &id, &predicted, &photon) != 3) continue;
            for (int i = 0; i < n_pipelined; i++) {
                if (predicted != pipelined[i] || photon <= 0) continue;
                checked++;
                CONF_CHECK(
                    &c, photon >= predicted - period / 2,
                    "frame %lld for displayTime %lld was shown at %lld, %.2f ms before the period it names",
                    id, predicted, photon, (double)(predicted - photon) / 1e6);
            }
        }
        fclose(f);
        remove(csv);
        printf("  %d pipelined frames checked in the per-frame record\n", checked);
    }
    unsetenv("PARALLAX_SIM_FRAMES");
    return conf_finish(&c);
}
