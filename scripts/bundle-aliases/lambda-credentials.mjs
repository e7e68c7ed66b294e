// @aws-sdk/credential-provider-node as the AWS SDK clients get it in the Lambda bundles
// (scripts/bundle-plugins.cjs): the default credential chain cut to its first link.
//
// On Lambda the runtime hands every function its role's temporary credentials in the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which is where the SDK's chain
// looks first and, on Lambda, finds them. The rest of the chain (SSO, shared config files,
// credential_process, web identity, container and instance metadata) never applies there, yet
// brings STS and SSO clients into every bundle: ~100–140 KB and ~14 ms of cold start per function.
// Without those variables a call fails with the SDK's own "Unable to find environment variable
// credentials." The local stack and the tests run the code unbundled, or bundled with options of
// their own, with the full chain.
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The SDK clients' default credential provider: the function's credentials from its environment. */
export const defaultProvider = (init = {}) => fromEnv(init);
