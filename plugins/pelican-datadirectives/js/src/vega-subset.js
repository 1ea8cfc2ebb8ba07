/*
 * The part of Vega that charts compiled from Vega-Lite use, registered the way the `vega`
 * package's own index.js does it, minus the transforms Vega-Lite never emits for our charts
 * (force, hierarchy, label, regression/loess, wordcloud, crossfilter): about 18 KB gzip less.
 * A spec that needs one of them fails to parse, and its chart stays static (with a warning).
 */
import { transforms } from "vega-dataflow";
import * as encode from "vega-encode";
import * as geo from "vega-geo";
import * as tx from "vega-transforms";
import { extend } from "vega-util";
import * as vtx from "vega-view-transforms";
import * as voronoi from "vega-voronoi";

extend(transforms, tx, vtx, encode, geo, voronoi);

export { parse } from "vega-parser";
export { View } from "vega-view";
