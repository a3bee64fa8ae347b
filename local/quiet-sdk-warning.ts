// The AWS SDK warns that its releases after January 2027 need Node 22. The local runtime runs on the
// machine's Node 20 by necessity (the deployed functions run Node 24), so the warning is noise to a
// user; the SDK's own switch turns it off.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
