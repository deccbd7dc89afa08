// SPDX-License-Identifier: MIT
#version 450
// Left eye red, right eye green: the capture shows which eye each view believed it drew.
layout(location = 0) flat in int in_eye;
layout(location = 0) out vec4 color;

void main()
{
    color = in_eye == 0 ? vec4(0.8, 0.0, 0.0, 1.0) : vec4(0.0, 0.8, 0.0, 1.0);
}
