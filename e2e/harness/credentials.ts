// Secrets a control plane needs: the admin's static token and the service-account signing key pair.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ControlPlaneCredentials {
  adminUser: string;
  adminToken: string;
  tokenFile: string;
  serviceAccountPublicKeyFile: string;
  serviceAccountPrivateKeyFile: string;
}

/** Unique per control plane: client-node caches credentials by user name. */
export function adminUserName(controlPlane: string): string {
  return `meridian-admin-${controlPlane}`;
}

/** kube-apiserver's --token-auth-file line: token,user,uid,"group1,group2". */
export function tokenFileLine(token: string, user: string): string {
  return `${token},${user},${user},"system:masters"\n`;
}

export async function writeCredentials(controlPlane: string, dir: string): Promise<ControlPlaneCredentials> {
  const adminUser = adminUserName(controlPlane);
  const adminToken = randomBytes(32).toString("hex");
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const credentials = {
    adminUser,
    adminToken,
    tokenFile: join(dir, "tokens.csv"),
    serviceAccountPublicKeyFile: join(dir, "sa.pub"),
    serviceAccountPrivateKeyFile: join(dir, "sa.key"),
  };
  await writeFile(credentials.tokenFile, tokenFileLine(adminToken, adminUser), { mode: 0o600 });
  await writeFile(credentials.serviceAccountPublicKeyFile, publicKey);
  await writeFile(credentials.serviceAccountPrivateKeyFile, privateKey, { mode: 0o600 });
  return credentials;
}
