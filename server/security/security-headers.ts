/**
 * Security headers for every response (helmet). The Content-Security-Policy fits what the
 * dashboard and the Web App are: Vite-built pages that load only same-origin scripts, styles and
 * images and open a websocket to the same origin. No inline script or style is allowed.
 */
import helmet from "helmet";

export const CONTENT_SECURITY_POLICY = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  // 'self' covers ws:// and wss:// to the same host (CSP Level 3).
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
} as const;

export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([name, values]) => [name, [...values]])),
    },
    referrerPolicy: { policy: "no-referrer" },
    // The hub also runs on plain http on a LAN; HSTS only takes effect once served over https.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}
