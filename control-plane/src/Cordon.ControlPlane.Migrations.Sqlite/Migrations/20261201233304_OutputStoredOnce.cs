using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cordon.ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutputStoredOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Stderr",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "Stdout",
                table: "jobs");

            migrationBuilder.AddColumn<long>(
                name: "OutputExpiredAt",
                table: "jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StoredBytes",
                table: "jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "tenant_storage",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UsedBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_storage", x => x.TenantId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_jobs_OutputExpiredAt_FinishedAt",
                table: "jobs",
                columns: new[] { "OutputExpiredAt", "FinishedAt" });

            // The output lives on in the stdout/stderr events (they always held the same text as the dropped
            // columns); the result events' copy of the Job goes, the reader now renders it from the job.
            migrationBuilder.Sql("UPDATE job_events SET \"Data\" = '' WHERE \"Kind\" = 'result';");
            // What each job and tenant stores so far, so the storage quota counts existing output too.
            migrationBuilder.Sql("""
                UPDATE jobs SET "StoredBytes" =
                    (SELECT COALESCE(SUM(length(CAST(json_extract(e."Data", '$.data') AS BLOB))), 0)
                     FROM job_events e WHERE e."JobId" = jobs."Id" AND e."TenantId" = jobs."TenantId" AND e."Kind" IN ('stdout', 'stderr'))
                  + (SELECT COALESCE(SUM(COALESCE(json_extract(a.value, '$.Size'), json_extract(a.value, '$.size'), 0)), 0)
                     FROM json_each(jobs."ArtifactsJson") a);
                """);
            migrationBuilder.Sql("""
                INSERT INTO tenant_storage ("TenantId", "UsedBytes")
                SELECT "TenantId", SUM("StoredBytes") FROM jobs GROUP BY "TenantId" HAVING SUM("StoredBytes") > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Down restores the columns empty: the output stays in the events, which the old code also served.
            migrationBuilder.DropTable(
                name: "tenant_storage");

            migrationBuilder.DropIndex(
                name: "IX_jobs_OutputExpiredAt_FinishedAt",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "OutputExpiredAt",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "StoredBytes",
                table: "jobs");

            migrationBuilder.AddColumn<string>(
                name: "Stderr",
                table: "jobs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Stdout",
                table: "jobs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
