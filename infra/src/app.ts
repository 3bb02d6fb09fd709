import { App } from "aws-cdk-lib";
import { buildApp } from "./app-builder.js";
import { loadDeployment } from "./deployment.js";

/** `cdk synth` / `cdk deploy` entry: the deployment comes from the context key `wshub:deployment` (see cdk.json). */
const app = new App();
buildApp(loadDeployment(app.node.tryGetContext("wshub:deployment")), app);
app.synth();
