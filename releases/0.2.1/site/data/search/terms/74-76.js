NC.data("search/terms/74-76",{"tv":[276]});
