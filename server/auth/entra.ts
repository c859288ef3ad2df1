/**
 * Sign-in with Microsoft Entra ID: OpenID Connect authorization code flow with PKCE, state and nonce,
 * through openid-client's certified Passport strategy (passport-azure-ad is archived).
 * The short-lived handshake data lives in its own signed cookie; on success a Werkplek session is created.
 */
import cookieSession from "cookie-session";
import express from "express";
import * as client from "openid-client";
import { Strategy, type AuthenticateOptions, type VerifyFunction } from "openid-client/passport";
import passport from "passport";
import { type Logger } from "pino";
import { type Env, sessionSecrets } from "../../app/env.server";
import { createUserSession, safeRedirectPath } from "../../app/modules/identity/session.server";
import { isActiveUser, upsertUserFromEntra } from "../../app/modules/identity/users.server";

type EntraEnv = NonNullable<Env["entra"]>;
type Failure = "entra" | "inactive";

export type EntraOptions = {
  /** Replaces fetch for the provider's endpoints; tests use it to tamper with responses. */
  customFetch?: client.CustomFetch;
};

/** Always sends `state` and `nonce` besides PKCE, so a forged or replayed callback fails on two checks. */
class EntraStrategy extends Strategy {
  override authorizationRequestParams<T extends AuthenticateOptions>(req: express.Request, options: T) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options) ?? undefined);
    params.set("state", client.randomState());
    params.set("nonce", client.randomNonce());
    return params;
  }
}

/** Discovers the tenant's OpenID configuration, retrying on the next login if the provider was unreachable. */
function discoverer(entra: EntraEnv, options: EntraOptions) {
  let pending: Promise<client.Configuration> | undefined;
  return () => {
    pending ??= client
      .discovery(
        new URL(entra.issuerUrl),
        entra.clientId,
        entra.clientSecret,
        entra.clientSecret ? undefined : client.None(),
        {
          execute: entra.allowHttp ? [client.allowInsecureRequests] : [],
          ...(options.customFetch ? { [client.customFetch]: options.customFetch } : {}),
        },
      )
      .then((config) => {
        if (options.customFetch) config[client.customFetch] = options.customFetch;
        // openid-client skips the ID token's signature when it comes straight from the token endpoint
        // (OIDC Core 3.1.3.7 lets TLS stand in); check it against the tenant's keys anyway.
        client.enableNonRepudiationChecks(config);
        return config;
      })
      .catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    return pending;
  };
}

/** The /auth/entra routes. */
export function entraRouter(env: Env, logger: Logger, options: EntraOptions = {}): express.Router {
  const entra = env.entra!;
  const router = express.Router();
  const authenticator = new passport.Passport();
  const discover = discoverer(entra, options);
  let strategyReady: Promise<void> | undefined;

  const verify: VerifyFunction = (tokens, done) => {
    const claims = tokens.claims();
    const oid = typeof claims?.oid === "string" ? claims.oid : undefined;
    if (!claims || !oid) {
      done(null, false, { message: "entra" });
      return;
    }
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    upsertUserFromEntra(
      {
        oid,
        name: text(claims.name),
        email: text(claims.email),
        preferredUsername: text(claims.preferred_username),
        givenName: text(claims.given_name),
        familyName: text(claims.family_name),
        groups: Array.isArray(claims.groups)
          ? claims.groups.filter((g): g is string => typeof g === "string")
          : [],
      },
      entra.roleGroups,
    )
      .then(async (user) =>
        (await isActiveUser(user.id)) ? done(null, user) : done(null, false, { message: "inactive" }),
      )
      .catch((error: unknown) => done(error));
  };

  const ensureStrategy = () => {
    strategyReady ??= discover()
      .then((config) => {
        authenticator.use(
          "entra",
          new EntraStrategy(
            { config, scope: "openid profile email", callbackURL: `${env.APP_URL}/auth/entra/callback` },
            verify,
          ),
        );
      })
      .catch((error: unknown) => {
        strategyReady = undefined;
        throw error;
      });
    return strategyReady;
  };

  router.use(
    cookieSession({
      name: "werkplek_oidc",
      keys: sessionSecrets(env),
      maxAge: 10 * 60 * 1000,
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
      sameSite: "lax",
      secure: env.isProduction,
      path: "/auth/entra",
    }),
  );
  router.use(authenticator.initialize());

  const fail = (res: express.Response, reason: Failure) => {
    res.redirect(303, `/inloggen?fout=${reason}`);
  };

  router.get("/", async (req, res, next) => {
    try {
      await ensureStrategy();
    } catch (error) {
      logger.error({ err: error }, "Entra ID discovery failed");
      return fail(res, "entra");
    }
    req.session!.returnTo = safeRedirectPath(typeof req.query.terug === "string" ? req.query.terug : null);
    authenticator.authenticate("entra", { session: false })(req, res, next);
  });

  router.get("/callback", async (req, res, next) => {
    try {
      await ensureStrategy();
    } catch (error) {
      logger.error({ err: error }, "Entra ID discovery failed");
      return fail(res, "entra");
    }
    authenticator.authenticate(
      "entra",
      { session: false },
      (error: unknown, user: { id: string } | false, info: { message?: string } | undefined) => {
        const returnTo = safeRedirectPath(req.session?.returnTo);
        req.session = null;
        if (error || !user) {
          // No personal data in the log: only why the sign-in was refused. openid-client's messages are
          // generic ("invalid response encountered"); its code and the cause's message say which check failed.
          const failure = error as { message?: string; code?: unknown; cause?: { message?: unknown } } | null;
          logger.warn(
            {
              reason: error instanceof Error ? error.message : (info?.message ?? "refused"),
              code: typeof failure?.code === "string" ? failure.code : undefined,
              detail: typeof failure?.cause?.message === "string" ? failure.cause.message : undefined,
            },
            "Entra ID sign-in refused",
          );
          return fail(res, info?.message === "inactive" ? "inactive" : "entra");
        }
        createUserSession({
          userId: user.id,
          method: "entra",
          previousCookieHeader: req.get("cookie") ?? null,
        })
          .then((setCookie) => {
            res.append("Set-Cookie", setCookie);
            res.redirect(303, returnTo);
          })
          .catch(next);
      },
    )(req, res, next);
  });

  return router;
}
