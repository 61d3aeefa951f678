NC.data("search/terms/71-61",{"qasem":[21],"qasim":[21,207,276]});
