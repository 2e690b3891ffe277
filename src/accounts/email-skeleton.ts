import unhomoglyph from "unhomoglyph";

/**
 * The UTS #39 skeleton of a normalized address (unicode.org/reports/tr39, "Confusable
 * Detection"): NFD, every character replaced by its prototype in Unicode's confusables.txt, NFD
 * again. Addresses with one skeleton look alike: "alıce" (dotless ı), "ɑlice" (Latin alpha),
 * "aǀice" (a click letter), "alɪce" (small capital I) are all "alice", and "rn" is "m". The
 * mapping is unhomoglyph's, generated from confusables.txt itself rather than kept by hand, and
 * pinned to one version: the skeleton is stored (users.email_skeleton), so a change in what this
 * returns needs a migration that computes the column again.
 */
export function emailSkeleton(normalizedEmail: string): string {
  return unhomoglyph(normalizedEmail.normalize("NFD")).normalize("NFD");
}
