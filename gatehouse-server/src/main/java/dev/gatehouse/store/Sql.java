package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few JDBC idioms every repository needs, written once: bind parameters (Instants as
 * {@code TIMESTAMP WITH TIME ZONE}, which H2 and PostgreSQL both map from OffsetDateTime),
 * map rows, and return counts.
 */
public final class Sql {
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(Row row) throws SQLException;
    }

    /** A result row with typed getters that read SQL NULL as Java null. */
    public record Row(ResultSet rs) {
        public String string(String column) throws SQLException { return rs.getString(column); }

        public Long longValue(String column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? null : value;
        }

        public long longOr(String column, long fallback) throws SQLException {
            Long value = longValue(column);
            return value == null ? fallback : value;
        }

        public boolean bool(String column) throws SQLException { return rs.getBoolean(column); }

        public byte[] bytes(String column) throws SQLException { return rs.getBytes(column); }

        public Instant instant(String column) throws SQLException {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
    }

    private Sql() {}

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                Row row = new Row(rs);
                while (rs.next()) {
                    out.add(mapper.map(row));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static int update(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs one statement for each parameter row in a single JDBC batch. */
    public static void batch(Connection c, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] params : rows) {
                bind(ps, params);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            if (p == null) {
                ps.setNull(index, Types.NULL);
            } else if (p instanceof Instant instant) {
                // Both engines keep microseconds and would round the nanoseconds of a Clock instant, possibly up:
                // truncating keeps "stored deadline <= now" comparisons exact (an overlap of 0 ends at once).
                ps.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS), ZoneOffset.UTC));
            } else if (p instanceof Enum<?> e) {
                ps.setString(index, e.name().toLowerCase(java.util.Locale.ROOT));
            } else {
                ps.setObject(index, p);
            }
        }
    }
}
