/** The text every masked secret is replaced by (SPEC 1.1). */
export const MASK = "***";
