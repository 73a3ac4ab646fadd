export {
  resolveParams,
  checkPattern,
  type ResolvedParam,
  type ResolvedParams,
  type ResolveParamsOptions,
  type ParamSource,
  type RunMode,
} from "./resolve.js";
export { maskUrl, resolveTemplate, resolveUrl } from "./urls.js";
export {
  interpolateParams,
  isTemplateSource,
  type InterpolatedParams,
  type InterpolateParamsOptions,
} from "./interpolate.js";
