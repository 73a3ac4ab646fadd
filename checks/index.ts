export { judge, type Judgement, type Observation } from "./evaluate.js";
export { matchTranscript } from "./transcript.js";
