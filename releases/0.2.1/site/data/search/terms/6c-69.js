NC.data("search/terms/6c-69",{"lid":[142],"life":[76,206],"like":[142],"limited":[29,277],"little":[76,174,206],"lives":[243,278]});
