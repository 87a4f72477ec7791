/**
 * The traffic model both backends share: AWS's shaping figures and how a shaper is sized ({@link
 * dev.srv6sh.cloud.model.Shaping}), the shaper itself ({@link dev.srv6sh.cloud.model.TokenBucket}),
 * what a flow is ({@link dev.srv6sh.cloud.model.FlowKey}) and the instance types' bandwidth ({@link
 * dev.srv6sh.cloud.model.InstanceTypes}). The local backend applies them in virtual time; the netns
 * backend's link daemon and its hosts' {@code tbf} qdiscs in real time.
 */
package dev.srv6sh.cloud.model;
