using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cordon.ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SessionSecretRefs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecretRefsJson",
                table: "sessions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecretRefsJson",
                table: "sessions");
        }
    }
}
