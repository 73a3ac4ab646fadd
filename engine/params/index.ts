export { resolveParams, checkPattern, type ResolvedParam, type ResolvedParams, type ResolveParamsOptions, type ParamSource, type RunMode } from './resolve.js';
export { maskUrl, resolveTemplate } from './urls.js';
