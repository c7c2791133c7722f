use super::{db_enum, newtype};
use syn::{parse_quote, DeriveInput};

fn errors(result: syn::Result<proc_macro2::TokenStream>) -> Vec<String> {
    match result {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn enum_labels_default_to_snake_case_and_rename() {
    let input: DeriveInput = parse_quote! {
        enum OrderStatus { Pending, PaidInFull, #[orm(rename = "X")] Other }
    };
    let out = db_enum::derive(input).unwrap().to_string();
    assert!(
        out.contains(r#"EnumType :: new ("order_status" , & ["pending" , "paid_in_full" , "X"])"#),
        "{out}"
    );
}

#[test]
fn enum_misuses_are_reported_together() {
    let input: DeriveInput = parse_quote! {
        #[orm(type_nam = "x")]
        enum Shape { Circle(f64), Square, #[orm(rename = "square")] Box }
    };
    let errs = errors(db_enum::derive(input));
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with("unknown enum attribute `type_nam`"),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with("variant `Circle` has fields"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].starts_with("variants `Square` and `Box` both have the label \"square\""),
        "{}",
        errs[2]
    );
}

#[test]
fn text_enum_is_a_varchar_of_the_longest_label() {
    let input: DeriveInput = parse_quote! {
        #[orm(native_enum = false)]
        enum Size { S, Medium }
    };
    let out = db_enum::derive(input).unwrap().to_string();
    assert!(
        out.contains(
            "SqlType :: Varchar (:: core :: option :: Option :: unwrap_or (length , 6u32))"
        ),
        "{out}"
    );
}

#[test]
fn newtype_needs_one_field() {
    let input: DeriveInput = parse_quote! { struct Pair(i32, i32); };
    let errs = errors(newtype::derive(input));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`#[derive(DbNewtype)]` needs exactly one field; `Pair` has 2"));
    let input: DeriveInput = parse_quote! { struct Email { address: String } };
    let out = newtype::derive(input).unwrap().to_string();
    assert!(out.contains("type Repr = String ;"), "{out}");
    assert!(out.contains("Self { address : repr }"), "{out}");
}
