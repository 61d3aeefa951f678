NC.data("search/terms/64-75",{"during":[131,203]});
