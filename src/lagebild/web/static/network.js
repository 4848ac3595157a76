// Force-directed layout for the actor network. The server draws a circular layout; this script
// moves the nodes (repulsion between all nodes, springs along edges, a pull to the centre) and
// then marks the SVG with data-layout="force". Deterministic: it starts from the circle.
(function () {
  "use strict";
  var svg = document.getElementById("network");
  if (!svg) return;
  var box = svg.viewBox.baseVal;
  var W = box.width, H = box.height;
  var nodeEls = Array.prototype.slice.call(svg.querySelectorAll("a.node"));
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll("line.edge"));
  if (nodeEls.length < 2) return;
  var nodes = {}, list = [];
  nodeEls.forEach(function (el) {
    var m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el.getAttribute("transform") || "");
    var n = { id: el.getAttribute("data-id"), x: m ? +m[1] : W / 2, y: m ? +m[2] : H / 2, vx: 0, vy: 0, el: el,
              r: +(el.querySelector("circle").getAttribute("r")) };
    nodes[n.id] = n; list.push(n);
  });
  var maxW = 1;
  var edges = edgeEls.map(function (el) {
    var w = +el.getAttribute("data-weight") || 1; if (w > maxW) maxW = w;
    return { a: nodes[el.getAttribute("data-a")], b: nodes[el.getAttribute("data-b")], w: w, el: el };
  }).filter(function (e) { return e.a && e.b; });
  var k = Math.sqrt((W * H) / list.length) * 0.75;
  for (var iter = 0; iter < 320; iter++) {
    var t = 1 - iter / 320;
    list.forEach(function (n) { n.fx = (W / 2 - n.x) * 0.004; n.fy = (H / 2 - n.y) * 0.006; });
    for (var i = 0; i < list.length; i++) {
      for (var j = i + 1; j < list.length; j++) {
        var a = list[i], b = list[j];
        var dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01, d = Math.sqrt(d2);
        var f = (k * k) / d2 * 0.9;
        a.fx += dx / d * f; a.fy += dy / d * f; b.fx -= dx / d * f; b.fy -= dy / d * f;
      }
    }
    edges.forEach(function (e) {
      var dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      var f = (d - k * 0.8) * 0.04 * (0.5 + e.w / maxW);
      e.a.fx += dx / d * f; e.a.fy += dy / d * f; e.b.fx -= dx / d * f; e.b.fy -= dy / d * f;
    });
    list.forEach(function (n) {
      var step = Math.min(Math.sqrt(n.fx * n.fx + n.fy * n.fy), 12 * t + 0.5);
      var len = Math.sqrt(n.fx * n.fx + n.fy * n.fy) + 1e-9;
      n.x = Math.max(n.r + 20, Math.min(W - n.r - 20, n.x + n.fx / len * step));
      n.y = Math.max(n.r + 10, Math.min(H - n.r - 22, n.y + n.fy / len * step));
    });
  }
  list.forEach(function (n) { n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
  edges.forEach(function (e) {
    e.el.setAttribute("x1", e.a.x.toFixed(1)); e.el.setAttribute("y1", e.a.y.toFixed(1));
    e.el.setAttribute("x2", e.b.x.toFixed(1)); e.el.setAttribute("y2", e.b.y.toFixed(1));
  });
  svg.setAttribute("data-layout", "force");
})();
