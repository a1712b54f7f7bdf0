/* The school map: schools by their coordinates, coloured by the level their marks give, over
 * the district boundary the bureau uploaded (or a plain longitude/latitude frame without one).
 * Data comes from the page's JSON endpoint (data-map-url): no inline script, no tiles, no CDN.
 * Texts come translated from the page's data attributes and the endpoint. */
(function () {
  "use strict";

  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var MAP_NAME = "anwen-district";
  var LABELS_UP_TO = 40; // beyond this many schools, names only on hover

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  // Only links of this site are followed (the data is ours, but a link is a link).
  function sameSite(link) {
    try {
      var url = new URL(link, window.location.href);
      return url.origin === window.location.origin ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function say(box, text) {
    var note = document.createElement("p");
    note.className = "map-message";
    note.textContent = text;
    box.replaceChildren(note);
  }

  function buildOption(box, data, withBoundary) {
    var escape = window.echarts.format.encodeHTML;
    var narrow = box.clientWidth < 560;
    var showLabels = data.schools.length <= LABELS_UP_TO && !narrow;
    // A name is written to the right of its point, except in the right part of the map,
    // where it would run past the edge and be cut off: there it goes to the left.
    var lons = data.schools.map(function (s) { return s.lon; });
    var west = Math.min.apply(null, lons);
    var east = Math.max.apply(null, lons);
    var labelSide = function (lon) {
      return east > west && (lon - west) / (east - west) > 0.6 ? "left" : "right";
    };
    var series = data.levels.map(function (level) {
      return {
        name: level.label,
        type: "scatter",
        coordinateSystem: withBoundary ? "geo" : "cartesian2d",
        symbol: level.symbol,
        symbolSize: level.level >= 3 ? 20 : 15,
        z: 2 + level.level, // the worst on top
        itemStyle: { color: level.colour, borderColor: "#ffffff", borderWidth: 1.5 },
        emphasis: { scale: 1.4 },
        label: {
          show: showLabels,
          position: "right",
          formatter: "{b}",
          fontSize: box.clientWidth >= 1200 ? 15 : 13, // a projector is read from the back
          color: "#1f2933",
          textBorderColor: "#ffffff",
          textBorderWidth: 3,
        },
        labelLayout: { hideOverlap: true },
        data: data.schools
          .filter(function (s) { return s.level === level.level; })
          .map(function (s) {
            return {
              name: s.name,
              value: [s.lon, s.lat],
              link: s.link,
              note: s.label,
              id: s.id,
              label: { position: labelSide(s.lon) },
            };
          }),
      };
    });
    // The overlays (the waters near schools): a series per kind of place, under the schools,
    // each shown and hidden by its legend entry.
    var places = [];
    (data.overlays || []).forEach(function (overlay) {
      overlay.series.forEach(function (kind) {
        var points = overlay.points.filter(function (p) { return p.series === kind.key; });
        places = places.concat(points);
        series.push({
          name: kind.label,
          type: "scatter",
          coordinateSystem: withBoundary ? "geo" : "cartesian2d",
          symbol: kind.symbol,
          symbolSize: 12,
          z: 1,
          itemStyle: { color: kind.colour, borderColor: "#ffffff", borderWidth: 1 },
          emphasis: { scale: 1.4 },
          data: points.map(function (p) {
            return { name: p.name, value: [p.lon, p.lat], link: p.link, note: p.label };
          }),
        });
      });
    });
    var option = {
      animation: false,
      textStyle: { fontFamily: FONT },
      legend: {
        type: "scroll",
        top: 4,
        left: "center",
        itemWidth: 18,
        itemHeight: 14,
        textStyle: { fontSize: narrow ? 13 : 16, fontFamily: FONT },
      },
      tooltip: {
        trigger: "item",
        confine: true,
        textStyle: { fontFamily: FONT },
        formatter: function (p) {
          var lines = ["<strong>" + escape(p.name) + "</strong>", escape(p.seriesName)];
          if (p.data && p.data.note) lines.push(escape(p.data.note));
          lines.push(escape(box.dataset.open));
          return lines.join("<br>");
        },
      },
      series: series,
    };
    if (withBoundary) {
      option.geo = {
        map: MAP_NAME,
        roam: true,
        silent: true,
        top: 48,
        bottom: 12,
        left: 12,
        right: 12,
        itemStyle: { areaColor: "#eef3f8", borderColor: "#47688f", borderWidth: 1.2 },
        label: { show: false },
      };
    } else {
      // A frame around the schools, a little wider than they are: one school alone still
      // sits in a readable square of a few kilometres, not in half of Asia.
      var bounds = function (values) {
        var low = Math.min.apply(null, values);
        var high = Math.max.apply(null, values);
        var pad = Math.max(0.02, (high - low) * 0.08);
        return { min: +(low - pad).toFixed(3), max: +(high + pad).toFixed(3) };
      };
      var axis = function (name, values, gap) {
        var range = values.length ? bounds(values) : {};
        return {
          type: "value",
          name: name,
          nameLocation: "middle",
          nameGap: gap,
          min: range.min,
          max: range.max,
          nameTextStyle: { fontFamily: FONT, fontSize: 13 },
          axisLabel: {
            hideOverlap: true,
            fontSize: narrow ? 12 : 14,
            showMinLabel: false, // the padded ends are no round numbers
            showMaxLabel: false,
            formatter: function (v) { return v.toFixed(2) + "°"; },
          },
          splitLine: { lineStyle: { color: "#e6eaef" } },
        };
      };
      option.grid = { top: 56, bottom: 48, left: 72, right: 24 };
      var all = data.schools.concat(places);
      option.xAxis = axis(box.dataset.lon, all.map(function (s) { return s.lon; }), 30);
      option.yAxis = axis(box.dataset.lat, all.map(function (s) { return s.lat; }), 56);
    }
    return option;
  }

  function draw(box) {
    say(box, box.dataset.loading);
    getJSON(box.dataset.mapUrl)
      .then(function (data) {
        var boundary = data.boundary ? getJSON(data.boundary.url) : Promise.resolve(null);
        return boundary.then(function (geo) { return { data: data, geo: geo }; });
      })
      .then(function (loaded) {
        var data = loaded.data;
        if (loaded.geo) window.echarts.registerMap(MAP_NAME, { geoJSON: loaded.geo });
        box.replaceChildren();
        var chart = window.echarts.init(box, null, { renderer: "canvas" });
        chart.setOption(buildOption(box, data, !!loaded.geo));
        chart.on("click", function (p) {
          var link = p.data && p.data.link ? sameSite(p.data.link) : null;
          if (link) window.location.assign(link);
        });
        window.addEventListener("resize", function () { chart.resize(); });
        if (!data.schools.length) {
          var empty = document.createElement("p");
          empty.className = "map-message map-overlay";
          empty.textContent = box.dataset.empty;
          box.parentNode.insertBefore(empty, box.nextSibling);
        }
        box.dataset.state = "ready";
        box.dataset.points = String(data.schools.length);
        box.dataset.places = String(
          (data.overlays || []).reduce(function (n, o) { return n + o.points.length; }, 0)
        );
      })
      .catch(function () {
        say(box, box.dataset.failed);
        box.dataset.state = "failed";
      });
  }

  function start() {
    var box = document.getElementById("school-map");
    if (box && window.echarts) draw(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
