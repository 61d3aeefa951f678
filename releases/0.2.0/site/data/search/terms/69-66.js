NC.data("search/terms/69-66",{"if":[36,48,271,273,274,276]});
