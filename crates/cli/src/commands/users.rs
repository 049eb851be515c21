//! `sipmas users`: create the first admin (and any account) from the command line, issue
//! API tokens, list accounts.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use sipmas_domain::{RegionCode, Role};

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account. The password is read from stdin with --password-stdin; otherwise
    /// a random one is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        /// admin, operator, opd, kecamatan, desa, viewer.
        #[arg(long)]
        role: String,
        /// Region scope (Kemendagri code); required for kecamatan (a kecamatan) and desa (a village).
        #[arg(long)]
        region: Option<String>,
        /// Name shown in the header and the audit trail.
        #[arg(long, default_value = "")]
        name: String,
        /// Agency staff see NIK and No KK unmasked.
        #[arg(long)]
        full_view: bool,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Issue an API token (printed once; stored only as a hash).
    Token {
        #[arg(long)]
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// List accounts.
    List,
}

pub async fn run(url: &str, command: UsersCommand) -> anyhow::Result<()> {
    let store = crate::store::open(url).await?;
    let result = run_with(store.as_ref(), command).await;
    store.close().await;
    result
}

async fn run_with(store: &dyn sipmas_store::Store, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add {
            username,
            role,
            region,
            name,
            full_view,
            password_stdin,
        } => {
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let region = region
                .as_deref()
                .map(RegionCode::parse)
                .transpose()
                .context("--region")?;
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (sipmas_app::auth::new_token()[..20].to_owned(), true)
            };
            let user = sipmas_app::auth::add_user(
                store,
                sipmas_app::auth::NewUser {
                    username,
                    display_name: name,
                    role,
                    region,
                    full_view,
                    password: password.clone(),
                },
                sipmas_app::CLI_ACTOR,
            )
            .await?;
            println!(
                "Pengguna {} dibuat (peran {}, wilayah {}).",
                user.username,
                user.role.code(),
                user.region_scope
                    .as_ref()
                    .map_or("semua".to_owned(), RegionCode::dotted)
            );
            if generated {
                println!("Kata sandi (simpan sekarang, tidak ditampilkan lagi): {password}");
            }
            Ok(())
        }
        UsersCommand::Token { username, label } => {
            let token =
                sipmas_app::auth::create_token(store, &username, &label, sipmas_app::CLI_ACTOR)
                    .await?;
            println!("{token}");
            Ok(())
        }
        UsersCommand::List => {
            for s in store.list_users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    s.user.username,
                    s.user.role.code(),
                    s.user
                        .region_scope
                        .as_ref()
                        .map_or("-".to_owned(), RegionCode::dotted),
                    if s.user.active { "aktif" } else { "nonaktif" }
                );
            }
            Ok(())
        }
    }
}
