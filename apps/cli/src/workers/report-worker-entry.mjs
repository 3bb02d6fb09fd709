// Worker threads do not inherit tsx's loader for their entry file: register it, then load the TypeScript worker.
import { register } from "tsx/esm/api";

register();
const worker = await import("./report-worker.ts");
export default worker.default;
