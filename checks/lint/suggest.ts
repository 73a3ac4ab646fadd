// The parser reports unknown attributes with the same suggestions lint gives for directives.
export { suggest } from "../../engine/parse/index.js";
