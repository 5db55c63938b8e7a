import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.ShapeField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.geo.LatLonGeometry;
import org.apache.lucene.geo.Line;
import org.apache.lucene.geo.Point;
import org.apache.lucene.geo.Polygon;
import org.apache.lucene.geo.Rectangle;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * geo_shape on a geo_point field as Lucene answers it: each document's points indexed as
 * LatLonPoint on field `location`, then LatLonPoint.newGeometryQuery with the relation and the
 * geometries (Point, Line, Polygon with holes, Rectangle, Circle; degrees, meters).
 *   {"op":"geoShape","docs":[[[lat,lon],...],...],"relation":"intersects","geometries":[...]} -> {"ids":[doc index,...]}
 */
final class EsGeoShape {
  private EsGeoShape() {}

  static String search(Map<String, Object> req) throws Exception {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      List<Object> docs = LuceneHarness.asList(req.get("docs"));
      for (int i = 0; i < docs.size(); i++) {
        Document doc = new Document();
        doc.add(new StoredField("id", i));
        for (Object p : LuceneHarness.asList(docs.get(i))) {
          List<Object> ll = LuceneHarness.asList(p);
          doc.add(new LatLonPoint("location", LuceneHarness.num(ll.get(0)), LuceneHarness.num(ll.get(1))));
        }
        w.addDocument(doc);
      }
      w.commit();
      List<LatLonGeometry> geometries = new ArrayList<>();
      for (Object g : LuceneHarness.asList(req.get("geometries"))) geometries.add(geometry(LuceneHarness.asMap(g)));
      ShapeField.QueryRelation relation = ShapeField.QueryRelation.valueOf(LuceneHarness.str(req.get("relation")).toUpperCase(java.util.Locale.ROOT));
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        ScoreDoc[] hits = searcher.search(LatLonPoint.newGeometryQuery("location", relation, geometries.toArray(new LatLonGeometry[0])), Math.max(1, docs.size())).scoreDocs;
        List<Integer> ids = new ArrayList<>();
        for (ScoreDoc h : hits) ids.add(searcher.doc(h.doc).getField("id").numericValue().intValue());
        ids.sort(null);
        StringBuilder b = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < ids.size(); i++) b.append(i == 0 ? "" : ",").append(ids.get(i));
        return b.append("]}").toString();
      }
    }
  }

  private static double[][] latsLons(Object points) {
    List<Object> list = LuceneHarness.asList(points);
    double[] lats = new double[list.size()];
    double[] lons = new double[list.size()];
    for (int i = 0; i < list.size(); i++) {
      List<Object> ll = LuceneHarness.asList(list.get(i));
      lats[i] = LuceneHarness.num(ll.get(0));
      lons[i] = LuceneHarness.num(ll.get(1));
    }
    return new double[][] {lats, lons};
  }

  private static LatLonGeometry geometry(Map<String, Object> g) {
    switch (LuceneHarness.str(g.get("type"))) {
      case "point": return new Point(LuceneHarness.num(g.get("lat")), LuceneHarness.num(g.get("lon")));
      case "line": {
        double[][] ll = latsLons(g.get("points"));
        return new Line(ll[0], ll[1]);
      }
      case "circle": return new org.apache.lucene.geo.Circle(LuceneHarness.num(g.get("lat")), LuceneHarness.num(g.get("lon")), LuceneHarness.num(g.get("radius")));
      case "box": return new Rectangle(LuceneHarness.num(g.get("minLat")), LuceneHarness.num(g.get("maxLat")), LuceneHarness.num(g.get("minLon")), LuceneHarness.num(g.get("maxLon")));
      case "polygon": {
        List<Object> rings = LuceneHarness.asList(g.get("rings"));
        Polygon[] holes = new Polygon[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
          double[][] ll = latsLons(rings.get(i));
          holes[i - 1] = new Polygon(ll[0], ll[1]);
        }
        double[][] shell = latsLons(rings.get(0));
        return new Polygon(shell[0], shell[1], holes);
      }
      default: throw new IllegalArgumentException("unknown geometry [" + g.get("type") + "]");
    }
  }
}
